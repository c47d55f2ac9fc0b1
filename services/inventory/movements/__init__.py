"""The immutable stock ledger: every receipt, issue, transfer, adjustment and scrap."""
