from tacli.cli.app import main

main()
