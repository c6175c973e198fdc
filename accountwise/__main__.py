from accountwise.cli import main

main()
