"""Request-scoped access to the resources the lifespan opened once."""

from typing import Annotated

from fastapi import Depends, Request
from temporalio.client import Client

from core.settings import Settings
from web.comparisons.service import Comparisons


def get_client(request: Request) -> Client:
    return request.app.state.temporal


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_comparisons(request: Request) -> Comparisons:
    return request.app.state.comparisons


TemporalClient = Annotated[Client, Depends(get_client)]
AppSettings = Annotated[Settings, Depends(get_app_settings)]
# One per process: it holds an HTTP client and its memory of the plain runs it saw.
ComparisonService = Annotated[Comparisons, Depends(get_comparisons)]
