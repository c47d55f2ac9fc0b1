"""Production orders as operations knows them from events: number, due date, materials."""
