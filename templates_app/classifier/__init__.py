from .signals import classify

__all__ = ["classify"]
