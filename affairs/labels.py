from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "affairs.item_publish": _("发布厂务公开事项"),
    "affairs.item_read": _("阅读厂务公开事项"),
    "affairs.question_ask": _("职工提问"),
    "affairs.question_answer": _("答复职工提问"),
    "affairs.survey_create": _("发起厂务公开满意度调查"),
    "affairs.survey_respond": _("参加厂务公开满意度调查"),
}
