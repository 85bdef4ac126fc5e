from tacli.cli import main

main()
