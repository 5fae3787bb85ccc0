"""Parts of the China dataset build (read ``../shared`` only from here)."""
