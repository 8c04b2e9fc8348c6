"""Dues (会费) and union funds (工会经费), DOMAIN.md §3.

- DuesPolicy: rate, rounding and the funds split of one federation (defaults from settings).
- WageBase: a member's monthly wage base from a given month on (the exact wage is encrypted; the
  rounded dues base is kept in clear because the statement prints it).
- DuesRun + DuesLine: the monthly statement of one union, one line per active or retained member.
- DuesPayment (+ PayrollBatch): money received against statement lines.
- DuesReversal (+ PayrollBatchReversal), FundsPaymentReversal: the red-ink correction (红字冲正) of a
  mistaken payment. The payment itself is never edited or deleted; a reversal row records who undid
  it, when and why, and the statement, arrears and ledger totals drop by its amount. One reversal
  per payment and per batch, enforced by the database.
- FundsAssessment + FundsPayment: the employer's payroll total, the 2% levy and what was paid,
  split between the grassroots union and the higher level.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from . import rules

MONEY = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0")


class DuesPolicy(models.Model):
    """The dues and funds rules of one federation; unions without one use the settings' defaults."""

    org = models.OneToOneField(
        "orgs.Organization", on_delete=models.PROTECT, related_name="dues_policy", verbose_name=_("总工会")
    )
    rate = models.DecimalField(
        _("会费比例"), max_digits=5, decimal_places=4, help_text=_("如 0.0050 即 0.5%")
    )
    base_step = models.PositiveIntegerField(
        _("基数取整（元）"), help_text=_("交费基数向下取整到该金额的整倍数")
    )
    levy_rate = models.DecimalField(_("工会经费拨缴比例"), max_digits=5, decimal_places=4)
    grassroots_share = models.DecimalField(_("基层工会留成比例"), max_digits=5, decimal_places=4)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("会费与经费标准")
        verbose_name_plural = _("会费与经费标准")
        constraints = [
            models.CheckConstraint(
                condition=Q(rate__gte=0, rate__lte=Decimal("0.1")), name="dues_policy_rate_range"
            ),
            models.CheckConstraint(condition=Q(base_step__gte=1), name="dues_policy_step_min"),
            models.CheckConstraint(
                condition=Q(levy_rate__gte=0, levy_rate__lte=Decimal("0.1")), name="dues_policy_levy_range"
            ),
            models.CheckConstraint(
                condition=Q(grassroots_share__gte=0, grassroots_share__lte=1), name="dues_policy_share_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.org} · {self.rate}"

    def as_rules(self) -> rules.Policy:
        return rules.Policy(
            rate=self.rate,
            base_step=self.base_step,
            levy_rate=self.levy_rate,
            grassroots_share=self.grassroots_share,
        )


class WageSource(models.TextChoices):
    ENTERED = "entered", _("手工录入")
    IMPORTED = "imported", _("工资表导入")


class WageBase(models.Model):
    """A member's monthly wage from `month` on, until a later row replaces it."""

    ENCRYPTED_FIELDS = ["wage_enc"]

    org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("工会")
    )
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="wage_bases", verbose_name=_("会员")
    )
    month = models.DateField(_("起始月份"))
    wage_enc = models.TextField(_("月工资（密文）"))
    base = models.DecimalField(_("交费基数"), **MONEY)
    source = models.CharField(
        _("来源"), max_length=10, choices=WageSource.choices, default=WageSource.ENTERED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # when the wage was last entered (set by the services; empty for wages from before it was kept):
    # a statement computed earlier does not include it
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("工资基数")
        verbose_name_plural = _("工资基数")
        ordering = ["member", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="dues_wage_member_month"),
            models.CheckConstraint(condition=Q(base__gte=0), name="dues_wage_base_nonneg"),
        ]
        indexes = [
            models.Index(fields=["org", "month"], name="dues_wage_org_month"),
            models.Index(fields=["org", "updated_at"], name="dues_wage_org_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.month:%Y-%m} {self.base}"


class DuesRun(models.Model):
    """The dues statement of one union for one month. Re-running replaces the lines as long as no
    payment was recorded against it."""

    # Not stored: what services.dues_run just did with the statement ("created", "replaced",
    # "supplemented"), for the message the clerk sees.
    outcome: str = ""

    org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("工会")
    )
    month = models.DateField(_("月份"))
    rate = models.DecimalField(_("会费比例"), max_digits=5, decimal_places=4)
    base_step = models.PositiveIntegerField(_("基数取整（元）"))
    charged_count = models.PositiveIntegerField(_("应缴人数"), default=0)
    exempt_count = models.PositiveIntegerField(_("免缴人数"), default=0)
    missing_count = models.PositiveIntegerField(_("缺工资基数人数"), default=0)
    total_base = models.DecimalField(_("基数合计"), default=ZERO, **MONEY)
    total_amount = models.DecimalField(_("应缴合计"), default=ZERO, **MONEY)
    paid_amount = models.DecimalField(_("已缴合计"), default=ZERO, **MONEY)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # when the lines were last computed (created, replaced or supplemented; payments do not count):
    # wages and membership changes recorded after it are not on the statement
    assessed_at = models.DateTimeField(_("核定时间"), null=True, blank=True)
    # the newest membership event then: later ones (their ids are larger) are not on the statement
    assessed_event_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("月度会费核定")
        verbose_name_plural = _("月度会费核定")
        ordering = ["org", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["org", "month"], name="dues_run_org_month"),
            models.CheckConstraint(
                condition=Q(total_base__gte=0, total_amount__gte=0, paid_amount__gte=0),
                name="dues_run_amounts_nonneg",
            ),
            models.CheckConstraint(
                condition=Q(paid_amount__lte=F("total_amount")), name="dues_run_paid_le_total"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.month:%Y-%m}"

    @property
    def rate_pct(self) -> str:
        """The statement's rate as the pages write it (0.5%)."""
        from .rules import pct

        return pct(self.rate)

    @property
    def arrears(self) -> Decimal:
        return self.total_amount - self.paid_amount


class LineKind(models.TextChoices):
    CHARGED = "charged", _("应缴")
    EXEMPT = "exempt", _("保留会籍免缴")
    MISSING = "missing", _("缺工资基数")


class DuesLine(models.Model):
    # The FK indexes are left out: (run, member), (org, month) and (member, month) lead with them.
    # `member` has no database-level foreign key: lines are only ever written by the run's
    # INSERT … SELECT from members_member itself, members are never deleted (PROTECT still applies
    # through the ORM), and checking the key row by row (SELECT … FOR KEY SHARE on every member)
    # was a third of the time of a 1M-member run.
    run = models.ForeignKey(
        DuesRun, on_delete=models.CASCADE, related_name="lines", verbose_name=_("核定"), db_index=False
    )
    org = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("工会"),
        db_index=False,
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="dues_lines",
        verbose_name=_("会员"),
        db_index=False,
        db_constraint=False,
    )
    month = models.DateField(_("月份"))
    kind = models.CharField(_("类别"), max_length=8, choices=LineKind.choices)
    base = models.DecimalField(_("交费基数"), null=True, blank=True, **MONEY)
    amount = models.DecimalField(_("应缴"), default=ZERO, **MONEY)
    paid = models.DecimalField(_("已缴"), default=ZERO, **MONEY)

    class Meta:
        verbose_name = _("会费明细")
        verbose_name_plural = _("会费明细")
        ordering = ["run", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "member"], name="dues_line_run_member"),
            models.CheckConstraint(condition=Q(amount__gte=0, paid__gte=0), name="dues_line_amounts_nonneg"),
            models.CheckConstraint(condition=Q(paid__lte=F("amount")), name="dues_line_paid_le_amount"),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in LineKind]), name="dues_line_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind="charged") | Q(amount=0), name="dues_line_only_charged_amount"
            ),
        ]
        indexes = [
            models.Index(fields=["member", "month"], name="dues_line_member_month"),
            models.Index(fields=["org", "month"], name="dues_line_org_month"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.month:%Y-%m} {self.amount}"

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.paid


class PayMethod(models.TextChoices):
    PAYROLL = "payroll", _("工资代扣")
    CASH = "cash", _("现金")
    TRANSFER = "transfer", _("银行转账")
    ONLINE = "online", _("线上支付")


class ReceiptSeries(models.TextChoices):
    DUES = "HF", _("会费收据")
    FUNDS = "JF", _("经费到账凭证")


def receipt_prefix(series: str, year: int) -> str:
    return f"{series}{year}-"


def receipt_text(series: str, year: int, seq: int) -> str:
    """A receipt's number: series, year and the union's running number of that year
    (HF2026-000001). Receipts printed before numbering per union kept their old numbers
    (HF + year + eight digits, without the hyphen), so the two never meet."""
    return f"{receipt_prefix(series, year)}{seq:06d}"


def numbered_per_union(receipt_no: str) -> bool:
    """The number was given per union (receipt_text), not before that (HF/JF + year + id)."""
    return "-" in receipt_no


class ReceiptCounter(models.Model):
    """The last receipt number a union gave out in a series and year: each union numbers its
    receipts 1, 2, 3 … without gaps, as its auditors expect (a reversed receipt keeps its number,
    marked void). The row is locked while numbers are taken."""

    org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("工会")
    )
    series = models.CharField(_("收据类别"), max_length=2, choices=ReceiptSeries.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用至"), default=0)

    class Meta:
        verbose_name = _("收据编号")
        verbose_name_plural = _("收据编号")
        constraints = [
            models.UniqueConstraint(fields=["org", "series", "year"], name="dues_receipt_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.org_id} {self.series}{self.year} {self.last}"


class PayrollBatch(models.Model):
    """One payroll deduction covering every outstanding line of a run."""

    org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("工会")
    )
    run = models.ForeignKey(DuesRun, on_delete=models.PROTECT, related_name="batches", verbose_name=_("核定"))
    paid_on = models.DateField(_("代扣日期"))
    line_count = models.PositiveIntegerField(_("笔数"))
    total = models.DecimalField(_("金额合计"), **MONEY)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("工资代扣批次")
        verbose_name_plural = _("工资代扣批次")
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(total__gte=0), name="dues_batch_total_nonneg")]

    def __str__(self) -> str:
        return f"{self.run} · {self.total}"


class DuesPayment(models.Model):
    org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("工会")
    )
    receipt_no = models.CharField(_("收据号"), max_length=24, editable=False)
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="dues_payments", verbose_name=_("会员")
    )
    line = models.ForeignKey(
        DuesLine, on_delete=models.PROTECT, related_name="payments", verbose_name=_("会费明细")
    )
    month = models.DateField(_("所属月份"))
    amount = models.DecimalField(_("金额"), **MONEY)
    paid_on = models.DateField(_("缴费日期"))
    method = models.CharField(_("方式"), max_length=10, choices=PayMethod.choices)
    batch = models.ForeignKey(
        PayrollBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("批次"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("会费缴纳")
        verbose_name_plural = _("会费缴纳")
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="dues_payment_amount_pos"),
            models.UniqueConstraint(fields=["org", "receipt_no"], name="dues_payment_receipt_no"),
            models.CheckConstraint(condition=~Q(receipt_no=""), name="dues_payment_receipt_no_set"),
        ]
        indexes = [models.Index(fields=["member", "month"], name="dues_payment_member_month")]

    def __str__(self) -> str:
        return self.receipt_no

    @property
    def amount_upper(self) -> str:
        return rules.rmb_upper(self.amount)

    @property
    def is_reversed(self) -> bool:
        return hasattr(self, "reversal")


def _reason_given(prefix: str = "") -> Q:
    return ~Q(**{f"{prefix}reason": ""})


class ReversalRecord(models.Model):
    """What every reversal (红字冲正) records besides its amounts: when, why and by whom. The original
    payment is never edited or deleted."""

    org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("工会")
    )
    reversed_on = models.DateField(_("冲销日期"))
    reason = models.CharField(_("冲销原因"), max_length=200)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class PayrollBatchReversal(ReversalRecord):
    """The reversal of a whole payroll deduction: every payment of the batch not already reversed on
    its own gets a DuesReversal pointing here."""

    batch = models.OneToOneField(
        PayrollBatch, on_delete=models.PROTECT, related_name="reversal", verbose_name=_("批次")
    )
    line_count = models.PositiveIntegerField(_("冲销笔数"))
    total = models.DecimalField(_("冲销金额"), **MONEY)

    class Meta:
        verbose_name = _("工资代扣批次冲销")
        verbose_name_plural = _("工资代扣批次冲销")
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="dues_batchrev_total_nonneg"),
            models.CheckConstraint(condition=_reason_given(), name="dues_batchrev_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.batch} · -{self.total}"


class DuesReversal(ReversalRecord):
    """红字冲正 of one dues payment: the amount is owed again on the payment's statement line."""

    # One-to-one: a payment can be reversed once, whichever way (alone or with its batch).
    payment = models.OneToOneField(
        DuesPayment, on_delete=models.PROTECT, related_name="reversal", verbose_name=_("会费缴纳")
    )
    batch_reversal = models.ForeignKey(
        PayrollBatchReversal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversals",
        verbose_name=_("批次冲销"),
    )
    amount = models.DecimalField(_("冲销金额"), **MONEY)

    class Meta:
        verbose_name = _("会费冲销")
        verbose_name_plural = _("会费冲销")
        ordering = ["-reversed_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="dues_reversal_amount_pos"),
            models.CheckConstraint(condition=_reason_given(), name="dues_reversal_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.payment_id} · -{self.amount}"


class FundsAssessment(models.Model):
    """The employer's payroll total of one month and the union-funds levy on it (TUL art. 43)."""

    org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("工会")
    )
    month = models.DateField(_("月份"))
    payroll_total = models.DecimalField(_("工资总额"), **MONEY)
    levy_rate = models.DecimalField(_("拨缴比例"), max_digits=5, decimal_places=4)
    levy = models.DecimalField(_("应拨缴经费"), **MONEY)
    grassroots_share = models.DecimalField(_("基层留成比例"), max_digits=5, decimal_places=4)
    paid = models.DecimalField(_("已拨缴"), default=ZERO, **MONEY)
    kept = models.DecimalField(_("基层工会留成"), default=ZERO, **MONEY)
    remitted = models.DecimalField(_("上解上级"), default=ZERO, **MONEY)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("工会经费核定")
        verbose_name_plural = _("工会经费核定")
        ordering = ["org", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["org", "month"], name="dues_funds_org_month"),
            models.CheckConstraint(
                condition=Q(payroll_total__gte=0, levy__gte=0, paid__gte=0, kept__gte=0, remitted__gte=0),
                name="dues_funds_amounts_nonneg",
            ),
            models.CheckConstraint(condition=Q(paid__lte=F("levy")), name="dues_funds_paid_le_levy"),
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.month:%Y-%m} {self.levy}"

    @property
    def arrears(self) -> Decimal:
        return self.levy - self.paid

    @property
    def levy_pct(self) -> str:
        return rules.pct(self.levy_rate)


class FundsPayment(models.Model):
    org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("工会")
    )
    receipt_no = models.CharField(_("凭证号"), max_length=24, editable=False)
    # The number printed on the official 工会经费收入专用收据 the union issued for this money (the
    # forms are numbered by whoever prints them, not by us): optional, unique within the union.
    official_no = models.CharField(_("专用收据号码"), max_length=40, blank=True)
    assessment = models.ForeignKey(
        FundsAssessment, on_delete=models.PROTECT, related_name="payments", verbose_name=_("经费核定")
    )
    amount = models.DecimalField(_("金额"), **MONEY)
    kept = models.DecimalField(_("基层工会留成"), **MONEY)
    remitted = models.DecimalField(_("上解上级"), **MONEY)
    paid_on = models.DateField(_("到账日期"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("工会经费到账")
        verbose_name_plural = _("工会经费到账")
        ordering = ["-paid_on", "-id"]
        # amount == kept + remitted is guaranteed by rules.split() and tested: a CHECK on a sum cannot
        # hold exactly on SQLite, which stores decimals as binary floats.
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0, kept__gte=0, remitted__gte=0), name="dues_fpay_amounts"
            ),
            models.UniqueConstraint(fields=["org", "receipt_no"], name="dues_fpay_receipt_no"),
            models.CheckConstraint(condition=~Q(receipt_no=""), name="dues_fpay_receipt_no_set"),
            models.UniqueConstraint(
                fields=["org", "official_no"], condition=~Q(official_no=""), name="dues_fpay_official_no"
            ),
        ]

    def __str__(self) -> str:
        return self.receipt_no

    @property
    def numbered_per_union(self) -> bool:
        """Recorded since funds vouchers and per-union numbers (earlier pages were titled as the
        official receipt, so an unrecorded official number does not mean none was issued)."""
        return numbered_per_union(self.receipt_no)

    @property
    def amount_upper(self) -> str:
        return rules.rmb_upper(self.amount)

    @property
    def is_reversed(self) -> bool:
        return hasattr(self, "reversal")


class FundsPaymentReversal(ReversalRecord):
    """红字冲正 of one union-funds payment: the month's paid, kept and remitted figures drop by the
    payment's own amounts."""

    payment = models.OneToOneField(
        FundsPayment, on_delete=models.PROTECT, related_name="reversal", verbose_name=_("经费到账")
    )
    amount = models.DecimalField(_("冲销金额"), **MONEY)
    kept = models.DecimalField(_("冲减基层留成"), **MONEY)
    remitted = models.DecimalField(_("冲减上解上级"), **MONEY)

    class Meta:
        verbose_name = _("工会经费冲销")
        verbose_name_plural = _("工会经费冲销")
        ordering = ["-reversed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0, kept__gte=0, remitted__gte=0), name="dues_fundsrev_amounts"
            ),
            models.CheckConstraint(condition=_reason_given(), name="dues_fundsrev_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.payment_id} · -{self.amount}"
