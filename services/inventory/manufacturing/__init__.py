"""What production orders do to stock: components reserved, issued or released; output received."""
