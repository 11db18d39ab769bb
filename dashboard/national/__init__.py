"""The national response: statistics under disclosure control, regions, activities, funding, organisations."""
