"""Goods received against purchase orders become receipts."""
