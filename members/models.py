from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MemberStatus(models.TextChoices):
    APPLIED = "applied", pgettext_lazy("member status", "申请中")
    ACTIVE = "active", pgettext_lazy("member status", "在籍")
    RETAINED = "retained", pgettext_lazy("member status", "保留会籍")
    WITHDRAWN = "withdrawn", pgettext_lazy("member status", "已退会")
    LAPSED = "lapsed", pgettext_lazy("member status", "自动退会")
    EXPELLED = "expelled", pgettext_lazy("member status", "开除会籍")
    REJECTED = (
        "rejected",
        pgettext_lazy("member status", "未获批准"),
    )  # an application turned down: never a member


# Statuses that count as members of the holding union (for member_count and the membership rate).
COUNTED_STATUSES = (MemberStatus.ACTIVE, MemberStatus.RETAINED)
# Records that are not (or no longer) members: left out of the registry list unless asked for.
CLOSED_STATUSES = (MemberStatus.WITHDRAWN, MemberStatus.LAPSED, MemberStatus.EXPELLED, MemberStatus.REJECTED)


class Education(models.TextChoices):
    PRIMARY = "primary", _("小学及以下")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("高中/中专/技校")
    COLLEGE = "college", _("大专")
    BACHELOR = "bachelor", _("本科")
    MASTER = "master", _("硕士")
    DOCTOR = "doctor", _("博士")


class PoliticalStatus(models.TextChoices):
    CPC = "cpc", _("中共党员")
    PROBATIONARY = "probationary", _("中共预备党员")
    CYL = "cyl", _("共青团员")
    DEMOCRATIC = "democratic", _("民主党派")
    MASSES = "masses", _("群众")


class Member(models.Model):
    ENCRYPTED_FIELDS = ["id_number_enc", "phone_enc"]

    # Indexed by the (org, status) index below; no separate FK index.
    org = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("所在工会"),
        db_index=False,
    )
    name = models.CharField(_("姓名"), max_length=50)
    name_pinyin = models.CharField(_("姓名拼音"), max_length=120, blank=True)
    name_initials = models.CharField(_("拼音首字母"), max_length=20, blank=True)
    # The pinyin with its syllables apart, for sorting by name (rules.name_pinyin).
    name_sort = models.CharField(_("姓名排序"), max_length=160, blank=True)
    id_number_enc = models.TextField(_("身份证号（密文）"))
    id_number_hash = models.CharField(max_length=64)  # unique: see Meta (no LIKE index needed)
    id_number_masked = models.CharField(_("身份证号"), max_length=18)
    id_last4 = models.CharField(max_length=4)
    birth_date = models.DateField(_("出生日期"))
    sex = models.CharField(_("性别"), max_length=1, choices=[("M", _("男")), ("F", _("女"))])
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True)
    education = models.CharField(_("学历"), max_length=16, choices=Education.choices, blank=True)
    political_status = models.CharField(
        _("政治面貌"), max_length=16, choices=PoliticalStatus.choices, blank=True
    )
    phone_enc = models.TextField(_("手机号（密文）"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True)
    phone_masked = models.CharField(_("手机号"), max_length=11, blank=True)
    phone_last4 = models.CharField(max_length=4, blank=True)
    employer = models.CharField(_("工作单位"), max_length=120, blank=True)
    department = models.CharField(_("部门"), max_length=60, blank=True)
    post = models.CharField(_("岗位"), max_length=60, blank=True)
    joined_on = models.DateField(_("入会日期"), null=True, blank=True)
    member_no = models.CharField(_("会员编号"), max_length=32, blank=True)
    card_no = models.CharField(_("会员证号"), max_length=32, blank=True)
    is_migrant = models.BooleanField(_("农民工"), default=False)
    household_registration = models.CharField(_("户籍所在地"), max_length=120, blank=True)
    status = models.CharField(
        _("会籍状态"), max_length=12, choices=MemberStatus.choices, default=MemberStatus.APPLIED
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member_records",
        db_index=False,  # the partial unique constraint below indexes it
        verbose_name=_("登录账号"),
    )
    consent_at = models.DateTimeField(_("同意个人信息处理时间"), null=True, blank=True)
    # When the personal data of a former member was deleted (PIPL art. 47: services.member_erase).
    # The record stays (name, member number, dates, dues) as the union's history; what identifies or
    # describes the person is gone.
    erased_at = models.DateTimeField(_("个人信息删除时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("会员")
        verbose_name_plural = _("会员")
        ordering = ["org", "name_sort", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="member_name_not_empty"),
            models.CheckConstraint(condition=Q(sex__in=["M", "F"]), name="member_sex_valid"),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in MemberStatus]), name="member_status_valid"
            ),
            # One member per ID number across the whole installation.
            models.UniqueConstraint(fields=["id_number_hash"], name="member_id_number_unique"),
            models.UniqueConstraint(
                fields=["member_no"], condition=~Q(member_no=""), name="member_no_unique"
            ),
            models.UniqueConstraint(
                fields=["card_no"], condition=~Q(card_no=""), name="member_card_no_unique"
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(user__isnull=False), name="member_user_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["org", "status"], name="member_org_status"),
            models.Index(fields=["name_initials", "name_pinyin"], name="member_initials_pinyin"),
            models.Index(fields=["name_pinyin"], name="member_pinyin"),
            models.Index(fields=["name_sort"], name="member_sort"),
            models.Index(fields=["name"], name="member_name"),
            models.Index(fields=["member_no"], name="member_member_no"),
            models.Index(fields=["id_last4"], name="member_id_last4"),
            models.Index(fields=["phone_last4"], name="member_phone_last4"),
            models.Index(fields=["phone_hash"], name="member_phone_hash"),
        ]

    def __str__(self) -> str:
        ref = self.member_no or self.id_number_masked  # neither for an erased applicant
        return f"{self.name}（{ref}）" if ref else self.name

    @property
    def is_counted(self) -> bool:
        return self.status in COUNTED_STATUSES


class EventKind(models.TextChoices):
    APPLIED = "applied", pgettext_lazy("member event", "提交入会申请")
    CREATED = "created", pgettext_lazy("member event", "登记入会")
    APPROVED = "approved", pgettext_lazy("member event", "批准入会")
    REJECTED = "rejected", pgettext_lazy("member event", "不予批准")
    TRANSFER_REQUESTED = "transfer_requested", pgettext_lazy("member event", "申请转会")
    TRANSFER_CANCELLED = "transfer_cancelled", pgettext_lazy("member event", "撤回转会")
    TRANSFER_REJECTED = "transfer_rejected", pgettext_lazy("member event", "转会被拒绝")
    TRANSFERRED = "transferred", pgettext_lazy("member event", "转会")
    RETAINED = "retained", pgettext_lazy("member event", "保留会籍")
    RESTORED = "restored", pgettext_lazy("member event", "恢复在籍")
    WITHDRAWN = "withdrawn", pgettext_lazy("member event", "退会")
    LAPSED = "lapsed", pgettext_lazy("member event", "自动退会")
    EXPELLED = "expelled", pgettext_lazy("member event", "开除会籍")
    UPDATED = "updated", pgettext_lazy("member event", "信息变更")
    IMPORTED = "imported", pgettext_lazy("member event", "导入")
    ERASED = "erased", pgettext_lazy("member event", "删除个人信息")


class MemberEvent(models.Model):
    """One dated entry of a member's timeline. `org` is the union the event belongs to; a transfer
    writes one event into each union so the history is kept in both."""

    # Every FK lookup is served by one of the composite or partial indexes in Meta: an import writes
    # one event per member, and each index less is a write less.
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="events", verbose_name=_("会员"), db_index=False
    )
    org = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("组织"),
        db_index=False,
    )
    kind = models.CharField(_("事项"), max_length=24, choices=EventKind.choices)
    from_status = models.CharField(_("原状态"), max_length=12, choices=MemberStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12, choices=MemberStatus.choices, blank=True)
    from_org = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("转出工会"),
        db_index=False,
    )
    to_org = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("转入工会"),
        db_index=False,
    )
    on = models.DateField(_("日期"))
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("会籍变动")
        verbose_name_plural = _("会籍变动")
        ordering = ["member", "on", "id"]
        indexes = [
            models.Index(fields=["member", "on"], name="member_event_member_on"),
            models.Index(fields=["org", "on"], name="member_event_org_on"),
            models.Index(fields=["kind", "on"], name="member_event_kind_on"),
            # the membership-changes page of a large subtree (a federation's), newest first: walked
            # in order until a page is full instead of sorting every event of the subtree
            models.Index(fields=["on", "id"], name="member_event_on_id"),
            # only transfers name the other union
            models.Index(
                fields=["from_org"], name="member_event_from_org", condition=Q(from_org__isnull=False)
            ),
            models.Index(fields=["to_org"], name="member_event_to_org", condition=Q(to_org__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()}"

    @property
    def kind_label(self) -> str:
        """The kind as a timeline shows it: a transfer writes one event into each union, read there
        as "transferred out" and "transferred in"."""
        if self.kind == EventKind.TRANSFERRED and self.org_id:
            if self.org_id == self.from_org_id:
                return str(pgettext_lazy("member event", "转出"))
            if self.org_id == self.to_org_id:
                return str(pgettext_lazy("member event", "转入"))
        return self.get_kind_display()


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("待接收")
    ACCEPTED = "accepted", _("已接收")
    REJECTED = "rejected", _("已拒绝")
    CANCELLED = "cancelled", _("已撤回")


class Transfer(models.Model):
    """A transfer request (转会): raised by the sending union, accepted by the receiving one."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="transfers", verbose_name=_("会员")
    )
    org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("转出工会")
    )
    to_org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("转入工会")
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    new_employer = models.CharField(_("新工作单位"), max_length=120, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("转会")
        verbose_name_plural = _("转会")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(status="pending"), name="member_transfer_one_pending"
            ),
            models.CheckConstraint(condition=~Q(org=models.F("to_org")), name="member_transfer_other_union"),
        ]
        indexes = [models.Index(fields=["to_org", "status"], name="member_transfer_to_status")]

    def __str__(self) -> str:
        return f"{self.member} → {self.to_org}"


class CorrectionStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    DONE = "done", _("已更正")
    DECLINED = "declined", _("不予更正")


class CorrectionRequest(models.Model):
    """A member's request to correct the data held about them (PIPL art. 46). A new ID number or
    phone is kept encrypted (requested_value_enc); requested_value then holds its masked form."""

    ENCRYPTED_FIELDS = ["requested_value_enc"]

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("会员")
    )
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    field = models.CharField(_("需更正的信息"), max_length=40)
    requested_value = models.CharField(_("正确内容"), max_length=200)
    requested_value_enc = models.TextField(blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What staff tell the member about the decision; a refusal must give its reason (PIPL art. 50).
    decision_note = models.CharField(_("处理说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("信息更正申请")
        verbose_name_plural = _("信息更正申请")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="declined") | ~models.Q(decision_note=""),
                name="correction_declined_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.field}"


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("待确认")
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导入中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class MemberImport(models.Model):
    """One uploaded spreadsheet: validated into a preview, applied on confirmation (all or nothing)."""

    org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("导入到")
    )
    filename = models.CharField(_("文件名"), max_length=200)
    file = models.FileField(upload_to="member_imports/%Y/%m/")
    status = models.CharField(
        _("状态"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED
    )
    total_rows = models.PositiveIntegerField(default=0)
    new_rows = models.PositiveIntegerField(default=0)
    update_rows = models.PositiveIntegerField(default=0)
    unchanged_rows = models.PositiveIntegerField(default=0)
    error_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    # The preview's first rows (importing.preview_rows: row, name, masked ID number, what will
    # happen), shown whenever the import's page is opened until it is confirmed.
    preview = models.JSONField(default=list, blank=True)
    # How the file's columns were read (importing.column_use): read, ignored, absent.
    columns = models.JSONField(default=dict, blank=True)
    message = models.CharField(max_length=300, blank=True)
    progress = models.ForeignKey(
        "core.TaskProgress", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("会员导入")
        verbose_name_plural = _("会员导入")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename
