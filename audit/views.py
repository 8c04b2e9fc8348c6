from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from orgs import access
from orgs.permissions import AUDIT_VIEW

from . import selectors
from .labels import all_action_labels


class AuditFilterForm(forms.Form):
    org = forms.TypedChoiceField(label=_("组织"), coerce=int, required=False, empty_value=None)
    action = forms.ChoiceField(label=_("操作"), required=False)
    actor = forms.CharField(label=_("操作人"), required=False)
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=DateInput())

    def __init__(self, *args, orgs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = [("", _("全部"))] + [(o.pk, ("　" * o.depth) + o.name) for o in orgs]
        self.fields["action"].choices = [("", _("全部"))] + [(k, v) for k, v in all_action_labels().items()]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
        return data


@access.permission_required(AUDIT_VIEW)
def audit_list_view(request):
    orgs = access.orgs_for(request.user, AUDIT_VIEW).order_by("path")[:500]
    form = AuditFilterForm(request.GET or None, orgs=orgs)
    filters = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        org = access.get_org_for_user(request.user, AUDIT_VIEW, data["org"]) if data.get("org") else None
        filters = {
            "org": org,
            "action": data.get("action") or "",
            "actor": data.get("actor") or "",
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
    events = (
        selectors.audit_events_for(request.user, **filters)
        if not form.errors
        else selectors.audit_events_for(request.user).none()
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {"form": form, "page": page, "labels": all_action_labels(), "query": query.urlencode()}
    template = "audit/list.html#audit-table" if request.htmx else "audit/list.html"
    return render(request, template, ctx)
