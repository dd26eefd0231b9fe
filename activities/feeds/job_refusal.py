"""A parsing child's refusal of the bytes it was given, said without temporalio.

The code a parsing child runs (parsing.py, xml_guard.py) raises it; the child answers it as a
failure, which the worker raises as the ApplicationError it stands for (parser_pool.py).
Importing temporalio would cost every child 0.2 s more CPU to start.
"""


class JobRefused(Exception):
    def __init__(self, message: str, *, kind: str, non_retryable: bool) -> None:
        super().__init__(message)
        self.message, self.kind, self.non_retryable = message, kind, non_retryable
