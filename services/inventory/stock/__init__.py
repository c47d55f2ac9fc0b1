"""Stock levels, valuation and the rebuild of levels from the ledger."""
