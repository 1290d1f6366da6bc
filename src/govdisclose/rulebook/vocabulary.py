"""Closed vocabularies: every fixed list of values a rulebook, a request or an outcome may use.

Each vocabulary is a ``str`` enum whose members carry a Chinese and an English label, so a value
is the same string in JSON and YAML (``RequestState.OPEN == "open"``) and can be shown to people.
The JSON Schemas list the same values; ``tests/test_vocabulary.py`` holds each schema ``enum``
against its vocabulary here, so adding a value means adding it in both places, and a typo in a
rulebook fails ``govdisclose validate`` and the pre-commit schema check alike.

:class:`~govdisclose.periods.counting.Unit` and
:class:`~govdisclose.periods.counting.ReceiptPolicy` live with the period arithmetic that needs
them (``periods`` imports nothing above it) and are re-exported here.
"""

from __future__ import annotations

import enum
from types import MappingProxyType
from typing import TYPE_CHECKING, TypeVar

from ..periods.counting import ReceiptPolicy, Unit

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "POLICIES",
    "AgencyTier",
    "ApplicantCategory",
    "ApplicantType",
    "AppliesTo",
    "Attribute",
    "Channel",
    "CountingRuleKind",
    "DutyKind",
    "DutyState",
    "EventRole",
    "ExemptionOverride",
    "FactType",
    "FeePolicy",
    "InteragencySilence",
    "Level",
    "LimitAbout",
    "OneRequestOneMatter",
    "OralRequests",
    "PauseKind",
    "PhoneRequests",
    "ProvisionRelation",
    "ReceiptDateField",
    "ReceiptPolicy",
    "ReplyDate",
    "RequestState",
    "ScheduleCovers",
    "ScheduleEvery",
    "Strength",
    "SupplementLapse",
    "Term",
    "ThirdPartySilence",
    "Unit",
    "values_of",
]

_T = TypeVar("_T", bound="Term")


class Term(str, enum.Enum):
    """A value of a closed vocabulary: the string itself, with ``zh`` and ``en`` labels.

    ``str(term)`` and ``f"{term}"`` give the value, so text and JSON output are unchanged by
    using the enum instead of a bare string.
    """

    zh: str
    en: str

    def __new__(cls: type[_T], value: str, zh: str = "", en: str = "") -> _T:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.zh = zh
        obj.en = en or value.replace("_", " ")
        return obj

    # ``_value_`` (set in ``__new__``, the plain string) rather than ``value``: the enum
    # property costs a descriptor call, and terms are formatted on every request's trace.
    def __str__(self) -> str:
        return str(self._value_)

    def __format__(self, spec: str) -> str:
        return format(str(self._value_), spec)


def values_of(vocabulary: type[Term] | type[enum.Enum]) -> tuple[str, ...]:
    """The values of a vocabulary, in declaration order (as the schemas list them)."""
    return tuple(str(m.value) for m in vocabulary)


# -- rulebooks --------------------------------------------------------------------------------


class Level(Term):
    NATIONAL = "national", "国家", "national"
    MUNICIPAL = "municipal", "市", "municipal"
    COUNTY = "county", "县（市）", "county"
    DISTRICT = "district", "区", "district"
    ZONE = "zone", "开发区、新区", "development zone"
    DEPARTMENT = "department", "部门", "department"


class Attribute(Term):
    """公开属性 (条例 2019 第十三条)."""

    PROACTIVE = "proactive", "主动公开", "proactive disclosure"
    ON_REQUEST = "on_request", "依申请公开", "disclosure on request"
    NOT_DISCLOSED = "not_disclosed", "不予公开", "not disclosed"
    PARTIAL = "partial", "部分公开", "partial disclosure"


class FactType(Term):
    BOOLEAN = "boolean", "是/否", "boolean"
    STRING = "string", "文字", "string"
    NUMBER = "number", "数值", "number"
    LIST = "list", "列表", "list"


class Strength(Term):
    """How an exemption binds (条例 2019 第十四条至第十六条)."""

    MANDATORY = "mandatory", "不予公开", "mandatory"
    CONDITIONAL = "conditional", "不得公开，除非例外情形", "conditional"
    DISCRETIONARY = "discretionary", "可以不予公开", "discretionary"
    DEFERRED = "deferred", "暂缓公开", "deferred"


class ExemptionOverride(Term):
    """What lifts a conditional or discretionary exemption; each reads the fact of its name."""

    THIRD_PARTY_CONSENT = "third_party_consent", "第三方同意公开", "the third party consents"
    PUBLIC_INTEREST = "public_interest", "不公开会对公共利益造成重大影响", "public interest"
    OTHER_LAW_REQUIRES = "other_law_requires", "法律、法规、规章规定应当公开", "another law requires it"

    @property
    def fact(self) -> str:
        """The request fact that, when true, lifts the exemption."""
        return "public_interest_override" if self is ExemptionOverride.PUBLIC_INTEREST \
            else str(self.value)


class AppliesTo(Term):
    CITIZEN = "citizen", "自然人", "citizens"
    ORGANIZATION = "organization", "法人或者其他组织", "organisations"
    ALL = "all", "全部申请人", "all applicants"


class ProvisionRelation(Term):
    SAME = "same", "与上位法一致", "same as higher law"
    STRICTER = "stricter", "严于上位法", "stricter than higher law"
    CONFLICT = "conflict", "与上位法抵触", "conflicts with higher law"
    LOCAL = "local", "本地规定", "local rule"


class ScheduleEvery(Term):
    YEAR = "year", "每年", "yearly"
    MONTH = "month", "每月", "monthly"


class ScheduleCovers(Term):
    PREVIOUS_YEAR = "previous_year", "上一年度", "the previous year"
    CURRENT_YEAR = "current_year", "本年度", "the current year"
    PREVIOUS_MONTH = "previous_month", "上月", "the previous month"
    CURRENT_MONTH = "current_month", "本月", "the current month"
    PREVIOUS_HALF_YEAR = "previous_half_year", "上半年或下半年", "the previous half year"


class LimitAbout(Term):
    """What a limit is about, i.e. which evaluation monitors it."""

    REQUEST = "request", "依申请公开", "a request"
    ITEM = "item", "主动公开", "a proactively published item"
    REVIEW = "review", "公开前审查", "a review before publication"
    FILING = "filing", "报备", "a filing"
    SENTIMENT = "sentiment", "舆情回应", "public opinion"


class PauseKind(Term):
    """A pausing request event's kind.  Which kinds are *not counted* in the reply period on a
    day is data: ``kinds`` of the national book's dated ``counting.pause`` values (条例 2019
    第三十三条第三款: third parties and other agencies; 2008 第二十四条: third parties only; 中止
    in neither — a local suspension rule yields to higher law)."""

    THIRD_PARTY = "third_party", "征求第三方意见", "third-party consultation"
    INTERAGENCY = "interagency", "征求其他机关意见", "inter-agency consultation"
    SUSPENSION = "suspension", "中止", "suspension"


class CountingRuleKind(Term):
    """The general rules of counting a period (docs/deadlines.md), each cited in the national
    book's ``counting`` section."""

    START_NOT_COUNTED = "start_not_counted", "起算日不计入", "the start day is not counted"
    END_ROLLED = "end_rolled", "期间届满日顺延", "the last day rolls off non-working days"
    PAUSE = "pause", "征求意见时间不计入", "consultation time is not counted"
    RESTART = "restart", "补正后重新起算", "counting anew after a supplement"
    EXTENSION = "extension", "延长期限", "extension"
    HOURS = "hours", "按小时计算", "hour periods"


# -- policies ---------------------------------------------------------------------------------


class ThirdPartySilence(Term):
    AGENCY_DECIDES = "agency_decides", "由行政机关决定是否公开", "the agency decides"
    DEEMED_CONSENT = "deemed_consent", "视为同意公开", "deemed consent"
    DEEMED_REFUSAL = "deemed_refusal", "视为不同意公开", "deemed refusal"


class InteragencySilence(Term):
    DEEMED_CONSENT = "deemed_consent", "视为同意公开", "deemed consent"
    AGENCY_DECIDES = "agency_decides", "由行政机关决定是否公开", "the agency decides"


class OralRequests(Term):
    ACCEPTED = "accepted", "受理", "accepted"
    ACCEPTED_IF_WRITING_DIFFICULT = ("accepted_if_writing_difficult", "书面形式确有困难的受理",
                                     "accepted where writing is difficult")
    NOT_ACCEPTED = "not_accepted", "不受理", "not accepted"


class PhoneRequests(Term):
    ACCEPTED = "accepted", "受理", "accepted"
    NOT_ACCEPTED = "not_accepted", "不受理", "not accepted"


class OneRequestOneMatter(Term):
    REQUIRED = "required", "一事一申请", "one matter per request"
    NOT_REQUIRED = "not_required", "不要求一事一申请", "not required"


class FeePolicy(Term):
    FREE = "free", "不收费", "free"
    PROCESSING_FEE_WHEN_EXCESSIVE = ("processing_fee_when_excessive", "明显超过合理范围的收取信息处理费",
                                     "processing fee when clearly excessive")
    CHARGED = "charged", "收费", "charged"


class ReplyDate(Term):
    """Which date of a reply decides whether it was on time: the day it was made (作出), sent
    (发出) or served (送达).  Sources differ; the default is the day sent.  A book chooses with
    the policy ``reply_date``."""

    SENT = "sent", "发出之日", "the day sent"
    MADE = "made", "作出之日", "the day made"
    SERVED = "served", "送达之日", "the day served"


class SupplementLapse(Term):
    """What follows when the supplement period a notice gave runs out with no supplement (条例
    2019 第三十条).  A day with no such policy in force (the 2008 regime, whose text is not at
    hand) deems nothing: the request stays awaiting the supplement."""

    ABANDONED = "abandoned", "视为放弃申请", "deemed abandoned"


#: policy key -> its closed list of values (schemas/rulebook.schema.json, ``policies``).
POLICIES: Mapping[str, type[enum.Enum]] = MappingProxyType({
    "third_party_silence": ThirdPartySilence,
    "interagency_silence": InteragencySilence,
    "receipt_on_non_workday": ReceiptPolicy,
    "oral_requests": OralRequests,
    "phone_requests": PhoneRequests,
    "one_request_one_matter": OneRequestOneMatter,
    "fees": FeePolicy,
    "reply_date": ReplyDate,
    "supplement_lapse": SupplementLapse,
})


class DutyKind(Term):
    """What a duty of the book's ``duties`` section is (条例 2019: 应当, 可以, standing rules)."""

    DUTY = "duty", "应当履行的义务", "a duty"
    PERMISSION = "permission", "可以采取的做法", "a permission"
    INSTITUTIONAL = "institutional", "应当建立的工作制度", "an institutional duty"


class DutyState(Term):
    """Where a duty stands in an evaluation's result."""

    APPLIES = "applies", "适用", "applies"
    STANDING = "standing", "常设义务", "standing duty"
    DONE = "done", "记录显示已履行", "done, as recorded"
    LATE = "late", "记录显示履行迟延", "done late, as recorded"
    WRONG_ACTOR = "wrong_actor", "记录显示非由规定的人员履行", "done by someone else, as recorded"
    NOT_RECORDED = "not_recorded", "记录未载明是否履行", "the record is silent"
    UNFOUNDED = "unfounded", "不具备适用条件", "used without its conditions"


class AgencyTier(Term):
    """The tier of the agency an item belongs to, as 条例 2019 第二十一条 distinguishes them."""

    CITY_WITH_DISTRICTS = ("city_with_districts", "设区的市级人民政府及其部门",
                           "a city divided into districts, or its department")
    COUNTY = "county", "县级人民政府及其部门", "a county-level government or its department"
    TOWNSHIP = "township", "乡（镇）人民政府", "a township government"
    OTHER = "other", "其他行政机关", "another agency"


# -- requests and outcomes --------------------------------------------------------------------


class Channel(Term):
    IN_PERSON = "in_person", "当面提交", "in person"
    REGISTERED_MAIL = "registered_mail", "邮寄（需签收）", "registered mail"
    LETTER = "letter", "平常信函", "ordinary letter"
    ONLINE = "online", "互联网渠道", "online"
    FAX = "fax", "传真", "fax"
    EMAIL = "email", "电子邮件", "e-mail"
    PHONE = "phone", "电话", "phone"
    ORAL = "oral", "口头", "oral"


class ReceiptDateField(Term):
    """Which date of a request a receipt rule takes as the receipt date."""

    SUBMITTED_ON = "submitted_on", "提交之日", "the day submitted"
    SIGNED_ON = "signed_on", "签收之日", "the day signed for"
    CONFIRMED_ON = "confirmed_on", "确认之日", "the day confirmed"


class ApplicantType(Term):
    CITIZEN = "citizen", "自然人", "citizen"
    ORGANIZATION = "organization", "法人或者其他组织", "organisation"


class ApplicantCategory(Term):
    COMMERCIAL = "commercial", "商业企业", "commercial enterprise"
    RESEARCH = "research", "科研机构", "research institution"
    PUBLIC_INTEREST = "public_interest", "社会公益组织", "public-interest organisation"
    LEGAL_SERVICES = "legal_services", "法律服务机构", "legal services"
    OTHER = "other", "其他", "other"


class EventRole(Term):
    """What a request event does to the reply period (engine/events.py)."""

    OPENS = "opens", "开启一项程序", "opens a procedure"
    CLOSES = "closes", "结束一项程序", "closes a procedure"
    RESTARTS = "restarts", "期限重新起算", "restarts the period"
    EXTENDS = "extends", "延长期限", "extends the period"
    PAUSES = "pauses", "暂停计算", "pauses the period"
    REPLIES = "replies", "答复", "replies"
    #: records a step of the procedure; the reply period runs on (e.g. asking for reasons)
    RECORDS = "records", "记录办理环节，不影响期限", "records a step; the period runs on"
    #: fixes the reply date (the event's ``reply_by``), where a permission of the book allows
    SETS_DUE = "sets_due", "确定答复期限", "fixes the reply date"


class RequestState(Term):
    """Where a request stands on a date."""

    OPEN = "open", "办理中", "open"
    OVERDUE = "overdue", "已逾期未答复", "overdue"
    ANSWERED_ON_TIME = "answered_on_time", "按期答复", "answered on time"
    ANSWERED_LATE = "answered_late", "逾期答复", "answered late"
    #: 条例 2019 第三十条: the reply period counts from receipt of the supplemented request.
    AWAITING_SUPPLEMENT = "awaiting_supplement", "待补正", "awaiting the applicant's supplement"
    #: 条例 2019 第三十条: no supplement within the period the notice gave.
    ABANDONED = "abandoned", "视为放弃申请", "deemed abandoned (no supplement in time)"
    #: a channel the policy in force does not accept (e.g. 桦甸 不直接受理电话申请): no reply
    #: period runs; the applicant is told how to apply.
    NOT_ACCEPTED = "not_accepted", "不予受理（申请方式不符）", "not accepted (the way it was made)"
