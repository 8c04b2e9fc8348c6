"""Workers' congress: terms (届), sessions (次), constituencies, delegates, check-in, polls.

Secret polls keep "who has voted" (Participation: poll + delegate, no choice, no time) apart from
"what was chosen" (Ballot: poll + choices, no delegate, no time, random UUID key). Both rows are
written in one transaction; when a secret poll closes its ballots are rewritten in a random order
in the closing transaction, so neither insertion order nor transaction ids link the two.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import rules


class Purpose(models.TextChoices):
    WORKERS = "workers", _("民主管理（职工）")
    UNION = "union", _("工会事务（会员）")


class AssemblyKind(models.TextChoices):
    CONGRESS = rules.CONGRESS, _("职工代表大会")
    ASSEMBLY = rules.ASSEMBLY, _("职工大会")
    MEMBERS_CONGRESS = rules.MEMBERS_CONGRESS, _("会员代表大会")
    MEMBERS_ASSEMBLY = rules.MEMBERS_ASSEMBLY, _("会员大会")


class Term(models.Model):
    """One term (届) of a union's congress, with the workforce figures the seats follow from."""

    org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="congress_terms", verbose_name=_("工会")
    )
    number = models.PositiveSmallIntegerField(_("届次"))
    purpose = models.CharField(_("性质"), max_length=16, choices=Purpose.choices, default=Purpose.WORKERS)
    kind = models.CharField(_("会议形式"), max_length=20, choices=AssemblyKind.choices)
    starts_on = models.DateField(_("任期开始"))
    ends_on = models.DateField(_("任期届满"))
    employees = models.PositiveIntegerField(_("职工人数"))
    women_employees = models.PositiveIntegerField(_("女职工人数"), default=0)
    members = models.PositiveIntegerField(_("会员人数"), default=0)
    seat_formula = models.CharField(_("名额公式"), max_length=16, default="national")
    seats = models.PositiveIntegerField(_("代表名额"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("届")
        ordering = ["org_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["org", "number", "purpose"], name="congress_term_unique_number"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="congress_term_dates"
            ),
            models.CheckConstraint(
                condition=Q(women_employees__lte=models.F("employees")),
                name="congress_term_women_le_employees",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.org.name} 第{self.number}届{self.get_kind_display()}"


class Constituency(models.Model):
    """A constituency (选区): a workshop or department that elects its delegates."""

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="constituencies")
    name = models.CharField(_("选区名称"), max_length=80)
    employees = models.PositiveIntegerField(_("职工人数"))
    seats = models.PositiveIntegerField(_("分配名额"), default=0)

    class Meta:
        verbose_name = _("选区")
        ordering = ["term_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["term", "name"], name="congress_constituency_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Sex(models.TextChoices):
    MALE = "m", _("男")
    FEMALE = "f", _("女")


class Category(models.TextChoices):
    FRONT_LINE = "front_line", _("一线职工")
    TECHNICAL = "technical", _("专业技术人员")
    MANAGER = "manager", _("中层以上管理人员")
    OTHER = "other", _("其他")


class DelegateStatus(models.TextChoices):
    ACTIVE = "active", _("在任")
    REPLACED = "replaced", _("已替换")


class Delegate(models.Model):
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="delegates")
    constituency = models.ForeignKey(
        Constituency, on_delete=models.PROTECT, related_name="delegates", verbose_name=_("选区")
    )
    number = models.PositiveIntegerField(_("代表证号"))
    name = models.CharField(_("姓名"), max_length=50)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    category = models.CharField(
        _("身份"), max_length=16, choices=Category.choices, default=Category.FRONT_LINE
    )
    is_presidium = models.BooleanField(_("主席团成员"), default=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=DelegateStatus.choices, default=DelegateStatus.ACTIVE
    )
    # The delegate's login on the platform: a delegate-only user without a usable password; they
    # are logged in on their phone by the one-time token of their delegate card.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="delegacies", null=True, blank=True
    )
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("接替"),
    )
    since = models.DateField(_("当选日期"))
    until = models.DateField(_("离任日期"), null=True, blank=True)
    end_reason = models.CharField(_("离任原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("职工代表")
        ordering = ["term_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="congress_delegate_unique_number"),
            models.UniqueConstraint(
                fields=["term", "user"],
                condition=Q(status="active") & Q(user__isnull=False),
                name="congress_delegate_one_seat_per_user",
            ),
        ]
        indexes = [models.Index(fields=["term", "status"], name="congress_delegate_term_status")]

    def __str__(self) -> str:
        return self.name


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("筹备中")
    IN_PROGRESS = "in_progress", _("会议进行中")
    CLOSED = "closed", _("已闭会")
    REPORTED = "reported", _("已报上级工会")


class Session(models.Model):
    """One session (次) of a term."""

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="congress_sessions")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("会次"))
    title = models.CharField(_("会议名称"), max_length=120)
    held_on = models.DateField(_("会议日期"))
    venue = models.CharField(_("地点"), max_length=120, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reported_at = models.DateTimeField(_("报送上级时间"), null=True, blank=True)
    minutes_note = models.TextField(_("会议纪要补充"), blank=True)

    class Meta:
        verbose_name = _("会议")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="congress_session_unique_number")
        ]

    def __str__(self) -> str:
        return self.title


class AgendaItem(models.Model):
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="agenda")
    position = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("议题"), max_length=200)

    class Meta:
        ordering = ["session_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "position"], name="congress_agenda_unique_position")
        ]

    def __str__(self) -> str:
        return self.title


class Document(models.Model):
    """A document for the delegates and the date it reached them (7 days before the session)."""

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(_("文件名称"), max_length=200)
    distributed_on = models.DateField(_("送达代表日期"), null=True, blank=True)

    class Meta:
        ordering = ["session_id", "id"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """A delegate's card for one session and their check-in. Only the SHA-256 of the card's
    one-time token is stored; using it clears nothing but sets `checked_in_at`."""

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="attendance")
    delegate = models.ForeignKey(Delegate, on_delete=models.PROTECT, related_name="attendance")
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    method = models.CharField(max_length=8, blank=True)  # "card" | "manual"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "delegate"], name="congress_attendance_unique")
        ]
        indexes = [models.Index(fields=["session", "checked_in_at"], name="congress_attendance_present")]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.delegate_id}"


class PollKind(models.TextChoices):
    MOTION = "motion", _("表决")
    ELECTION = "election", _("选举")


class PollStatus(models.TextChoices):
    DRAFT = "draft", _("准备中")
    OPEN = "open", _("投票中")
    CLOSED = "closed", _("已截止")
    PUBLISHED = "published", _("已公布")


class PassRule(models.TextChoices):
    ALL_MAJORITY = rules.RULE_ALL, _("超过全体代表半数")
    PRESENT_MAJORITY = rules.RULE_PRESENT, _("超过到会代表半数")
    ALL_TWO_THIRDS = rules.RULE_TWO_THIRDS_ALL, _("达到全体代表三分之二")


class Poll(models.Model):
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="polls")
    kind = models.CharField(_("类型"), max_length=10, choices=PollKind.choices)
    title = models.CharField(_("事项"), max_length=200)
    text = models.TextField(_("决议内容"), blank=True)
    secret = models.BooleanField(_("无记名投票"), default=True)
    seats = models.PositiveSmallIntegerField(_("应选人数"), default=1)
    rule = models.CharField(
        _("通过规则"), max_length=20, choices=PassRule.choices, default=PassRule.ALL_MAJORITY
    )
    status = models.CharField(_("状态"), max_length=10, choices=PollStatus.choices, default=PollStatus.DRAFT)
    electorate = models.PositiveIntegerField(_("全体代表"), default=0)  # frozen when opened
    present = models.PositiveIntegerField(_("到会代表"), default=0)  # frozen when opened
    paper_issued = models.PositiveIntegerField(_("发出纸质选票"), default=0)
    result = models.JSONField(default=dict, blank=True)  # the tally snapshot at closing
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("表决事项")
        ordering = ["session_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(seats__gte=1), name="congress_poll_seats_positive"),
            models.CheckConstraint(
                condition=Q(kind="election") | Q(seats=1), name="congress_poll_motion_one_seat"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Option(models.Model):
    """yes/no/abstain of a motion, or a candidate of an election."""

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    key = models.CharField(max_length=20)
    label = models.CharField(_("候选人/选项"), max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["poll_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "key"], name="congress_option_unique_key"),
            models.UniqueConstraint(fields=["poll", "label"], name="congress_option_unique_label"),
        ]

    def __str__(self) -> str:
        return self.label


class Via(models.TextChoices):
    ELECTRONIC = "electronic", _("电子")
    PAPER = "paper", _("纸质")


class Participation(models.Model):
    """Who has voted (or received a paper ballot) in a poll. No choice, no time."""

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="participations")
    delegate = models.ForeignKey(Delegate, on_delete=models.PROTECT, related_name="+")
    via = models.CharField(max_length=10, choices=Via.choices, default=Via.ELECTRONIC)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "delegate"], name="congress_one_vote_per_delegate")
        ]

    def __str__(self) -> str:
        return f"{self.poll_id}/{self.delegate_id}"


class Ballot(models.Model):
    """What was chosen. In a secret poll there is no delegate, no time and the key is a random
    UUID (rows have no meaningful order); in a named poll the delegate is recorded."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="ballots")
    choices = models.JSONField(default=list)  # option keys
    source = models.CharField(max_length=10, choices=Via.choices, default=Via.ELECTRONIC)
    delegate = models.ForeignKey(Delegate, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "delegate"],
                condition=Q(delegate__isnull=False),
                name="congress_one_named_ballot",
            ),
        ]

    def __str__(self) -> str:
        return str(self.id)


class ConstituencyElection(models.Model):
    """A delegate election held in a constituency, entered from the tellers' count sheet."""

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    constituency = models.ForeignKey(Constituency, on_delete=models.PROTECT, related_name="elections")
    held_on = models.DateField(_("选举日期"))
    electors = models.PositiveIntegerField(_("选区职工人数"))
    participants = models.PositiveIntegerField(_("参加选举人数"))
    votes = models.JSONField(default=dict)  # candidate name -> votes
    elected = models.JSONField(default=list)
    valid = models.BooleanField(default=False)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(participants__lte=models.F("electors")),
                name="congress_celection_participants_le_electors",
            )
        ]

    def __str__(self) -> str:
        return f"{self.constituency} {self.held_on}"
