"""Village stations (村能办), their proxy agents (代办员) and home service (家能办)."""
