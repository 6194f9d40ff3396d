"""The hall board and window screens: templates, scripts and offline speech, served by queue_server."""
