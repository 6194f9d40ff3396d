"""ASGI entry point for multi-worker servers: the app is built from HALL_* settings."""

from queue_server.app.factory import create_app

app = create_app()
