"""Request-scoped access to the resources the lifespan opened once."""

from typing import Annotated

from fastapi import Depends, Request
from temporalio.client import Client

from core.settings import Settings


def get_client(request: Request) -> Client:
    return request.app.state.temporal


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


TemporalClient = Annotated[Client, Depends(get_client)]
AppSettings = Annotated[Settings, Depends(get_app_settings)]
