from django.http import JsonResponse
from django.utils.translation import gettext as _


class HtmxMiddleware:
    """Sets request.htmx when the request comes from htmx, so views can return a partial."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.htmx = request.headers.get("HX-Request") == "true"
        return self.get_response(request)


class ApiPlainErrorsMiddleware:
    """Under /api/ every answer is JSON: an unknown address (Django's HTML 404 page) or a method the
    address does not take (django-ninja's plain-text 405) becomes {"detail": ...} in the caller's
    language, keeping the status and the Allow header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code in (404, 405)
            and request.path_info.startswith("/api/")
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            if response.status_code == 404:
                detail = _("没有这个API地址，可用的地址见 /api/v1/docs。")
            else:
                detail = _("这个地址不接受 %(method)s 请求，可用：%(allowed)s。") % {
                    "method": request.method,
                    "allowed": response.get("Allow", ""),
                }
            json_response = JsonResponse({"detail": detail}, status=response.status_code)
            if response.has_header("Allow"):
                json_response["Allow"] = response["Allow"]
            return json_response
        return response


class PageMethodNotAllowedMiddleware:
    """An address that only takes a form's submission (a `require_POST` view: save, reverse, erase …)
    opened directly, from a bookmark or the browser's history, answers a page that says so instead
    of an empty 405. The status and the Allow header stay; the API has its own answer above."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 405
            and request.method in ("GET", "HEAD")
            and not request.path_info.startswith("/api/")
            and not response.content
        ):
            from django.shortcuts import render

            page = render(request, "405.html", status=405)
            if response.has_header("Allow"):
                page["Allow"] = response["Allow"]
            return page
        return response
