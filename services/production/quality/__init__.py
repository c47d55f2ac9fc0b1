"""Quality: inspection plans per product, inspections of orders and lots, yield and defects."""
