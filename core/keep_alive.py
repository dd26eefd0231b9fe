"""How long a kept-alive HTTP connection lives: our clients let go of one before our servers do.

uvicorn closes a connection this long after its last response, and httpx's pool (the openai
client's too) keeps an idle one for 5 s as well. A request sent in the instant the server closes
it fails with "Server disconnected without sending a response", and a client cannot safely send
it again (it may have been a POST). A crash matrix cell met it once in CI: a GET after exactly
5 s idle. A client that gives up idle connections well before the server never sends on one the
server is closing.
"""

import httpx

# Every uvicorn we run: the web, the plain agent, the demo newsroom and the offline LLM.
SERVER_KEEP_ALIVE_SECONDS = 5
CLIENT_KEEP_ALIVE_SECONDS = 2.0
# httpx's own defaults for the rest.
CLIENT_LIMITS = httpx.Limits(
    max_connections=100, max_keepalive_connections=20, keepalive_expiry=CLIENT_KEEP_ALIVE_SECONDS
)
