"""呼叫导办员 and the ID-card shortcut: the kiosk's help for residents who read little."""
