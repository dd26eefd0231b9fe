"""The chaos soak in parts: processes, starts, SSE clients, chaos, histories, verdict."""
