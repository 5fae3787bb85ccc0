from hinterland.cli import main

main()
