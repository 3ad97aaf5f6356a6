"""Read and write access to the tables. Every SQL statement the API runs is built here."""
