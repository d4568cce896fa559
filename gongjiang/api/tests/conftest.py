import pytest


@pytest.fixture
def issue(personas):
    """issue(user, **kw) -> the token (a string) of a fresh token acting as ``user``."""
    from gongjiang.api.services import api_token_create

    def _issue(user, **kwargs):
        _row, token = api_token_create(actor=personas.city, user=user, **kwargs)
        return token

    return _issue


@pytest.fixture
def bearer():
    def _headers(token: str) -> dict:
        return {"HTTP_AUTHORIZATION": "Bearer %s" % token}

    return _headers
