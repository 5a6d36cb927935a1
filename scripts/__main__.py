"""`python -m election_kg`: the same command as `election-kg`."""

from election_kg.cli import main

main()
