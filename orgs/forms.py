from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput

from .models import CommitteeMember, Organization, OrgKind


class OrgForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = [
            "name",
            "unit_name",
            "credit_code",
            "ownership",
            "sector",
            "employee_count",
            "member_count",
            "address",
            "contact_phone",
            "founded_on",
            "term_start",
            "term_end",
        ]
        widgets = {"founded_on": DateInput, "term_start": DateInput, "term_end": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self._registry_holds_members():
            # kept by the member registry (active and retained members), not typed in
            self.fields["member_count"].disabled = True
            self.fields["member_count"].help_text = _("按会员名册自动统计（在籍和保留会籍）")

    def _registry_holds_members(self) -> bool:
        """Members registered on this organization or below it (a union's branches)."""
        o = self.instance
        below = Organization.objects.filter(path__gte=o.path, path__lt=o.subtree_upper)
        return below.filter(members__isnull=False).exists()

    def _post_clean(self):
        # Validation and uniqueness are the service's job (orgs.services); skip the model's own.
        pass


class OrgCreateForm(OrgForm):
    kind = forms.ChoiceField(label=_("类型"), choices=OrgKind.choices)

    class Meta(OrgForm.Meta):
        fields = ["kind", *OrgForm.Meta.fields]


class CommitteeMemberForm(forms.ModelForm):
    class Meta:
        model = CommitteeMember
        fields = ["name", "sex", "position", "is_full_time", "term_start", "term_end"]
        widgets = {"term_start": DateInput, "term_end": DateInput}

    def _post_clean(self):
        pass
