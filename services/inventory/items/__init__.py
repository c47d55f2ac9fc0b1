"""Items: the SKU master."""
