"""The county: its halls, its overview and statistics across halls, and its calendar."""
