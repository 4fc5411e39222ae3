"""Secrets at rest (§3): Fernet/MultiFernet with keys from FIELD_ENCRYPTION_KEYS
(newest first, so rotation = prepend a key, re-save, drop the old one)."""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.encode()) for k in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    return fernet().decrypt(token.encode()).decode()


class EncryptedTextField(models.TextField):
    """A text column stored as a Fernet token; Python code only ever sees plaintext."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        try:
            return decrypt(value)
        except InvalidToken:
            raise ValueError(f"{self.model.__name__}.{self.name} cannot be decrypted with any key")

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)
