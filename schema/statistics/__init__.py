"""Cross-territory statistics on CTG actions and coverage, for Caf and Cnaf staff."""
