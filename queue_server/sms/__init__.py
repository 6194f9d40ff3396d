"""Sending texts (短信提醒): one Provider interface, and the log, http, Aliyun and Tencent providers."""
