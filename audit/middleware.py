from django.conf import settings

from .context import current_ip


def client_ip(request) -> str | None:
    """The client's address. Behind nginx the real one arrives in X-Real-IP (the proxy overwrites
    it); the header is believed only from a proxy in settings.TRUSTED_PROXIES, since anyone who
    reaches the application server directly could send it."""
    remote = request.META.get("REMOTE_ADDR") or None
    forwarded = request.META.get("HTTP_X_REAL_IP")
    if forwarded and remote in settings.TRUSTED_PROXIES:
        return forwarded
    return remote


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
