"""A structural check of Google Workspace add-on responses, written from Google's reference of
``google.apps.card.v1`` (Card, Section, Widget, Button, OnClick, Action) and ``RenderActions``.

Not the whole API: the messages and fields the reference documents for the widgets an add-on can
send, with their types, required fields and the "exactly one of" unions (a widget is exactly one
widget type; an ``onClick`` is exactly one of action / openLink / ...; a navigation is exactly one
of pushCard / updateCard / popCard / ...). Unknown fields are errors, like a typo would be for
Google, which rejects the response and shows the add-on's error card.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class Spec:
    def check(self, value: Any, path: str) -> list[str]:
        raise NotImplementedError


@dataclass
class Str(Spec):
    enum: tuple[str, ...] = ()
    non_empty: bool = False

    def check(self, value: Any, path: str) -> list[str]:
        if not isinstance(value, str):
            return [f"{path}: expected a string, got {type(value).__name__}"]
        if self.enum and value not in self.enum:
            return [f"{path}: {value!r} is not one of {self.enum}"]
        if self.non_empty and not value.strip():
            return [f"{path}: must not be empty"]
        return []


@dataclass
class Bool(Spec):
    def check(self, value: Any, path: str) -> list[str]:
        return [] if isinstance(value, bool) else [f"{path}: expected a boolean"]


@dataclass
class Int(Spec):
    def check(self, value: Any, path: str) -> list[str]:
        ok = isinstance(value, int) and not isinstance(value, bool)
        return [] if ok else [f"{path}: expected an integer"]


@dataclass
class Arr(Spec):
    item: Spec
    min_items: int = 0

    def check(self, value: Any, path: str) -> list[str]:
        if not isinstance(value, list):
            return [f"{path}: expected a list"]
        errors = (
            [f"{path}: needs at least {self.min_items} item(s)"]
            if len(value) < self.min_items
            else []
        )
        for i, item in enumerate(value):
            errors += self.item.check(item, f"{path}[{i}]")
        return errors


@dataclass
class Obj(Spec):
    fields: dict[str, Spec] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    one_of: tuple[str, ...] = ()  # exactly one of these keys must be present

    def check(self, value: Any, path: str) -> list[str]:
        if not isinstance(value, dict):
            return [f"{path}: expected an object"]
        errors = [f"{path}: unknown field {k!r}" for k in value if k not in self.fields]
        errors += [f"{path}: missing required field {k!r}" for k in self.required if k not in value]
        if self.one_of:
            present = [k for k in self.one_of if k in value]
            if len(present) != 1:
                errors.append(f"{path}: needs exactly one of {self.one_of}, has {present}")
        for key, spec in self.fields.items():
            if key in value:
                errors += spec.check(value[key], f"{path}.{key}")
        return errors


@dataclass
class Ref(Spec):
    """A late-bound reference (cards contain cards through ``onClick.card``)."""

    name: str

    def check(self, value: Any, path: str) -> list[str]:
        return SPECS[self.name].check(value, path)


SPECS: dict[str, Spec] = {}

ACTION_PARAMETER = Obj({"key": Str(non_empty=True), "value": Str()}, required=("key", "value"))
ACTION = Obj(
    {
        "function": Str(non_empty=True),
        "parameters": Arr(ACTION_PARAMETER),
        "loadIndicator": Str(enum=("SPINNER", "NONE")),
        "persistValues": Bool(),
        "interaction": Str(enum=("INTERACTION_UNSPECIFIED", "OPEN_DIALOG")),
        "requiredWidgets": Arr(Str()),
        "allWidgetsAreRequired": Bool(),
    },
    required=("function",),
)
OPEN_LINK = Obj(
    {
        "url": Str(non_empty=True),
        "openAs": Str(enum=("FULL_SIZE", "OVERLAY")),
        "onClose": Str(enum=("NOTHING", "RELOAD")),
    },
    required=("url",),
)
ON_CLICK = Obj(
    {
        "action": ACTION,
        "openLink": OPEN_LINK,
        "openDynamicLinkAction": ACTION,
        "card": Ref("card"),
        "overflowMenu": Obj({"items": Arr(Obj({"text": Str(), "onClick": Ref("onClick")}))}),
    },
    one_of=("action", "openLink", "openDynamicLinkAction", "card", "overflowMenu"),
)
ICON = Obj(
    {
        "knownIcon": Str(),
        "iconUrl": Str(),
        "materialIcon": Obj({"name": Str(), "fill": Bool(), "weight": Int(), "grade": Int()}),
        "altText": Str(),
        "imageType": Str(enum=("SQUARE", "CIRCLE")),
    },
    one_of=("knownIcon", "iconUrl", "materialIcon"),
)
COLOR = Obj({"red": Int(), "green": Int(), "blue": Int(), "alpha": Int()})
BUTTON = Obj(
    {
        "text": Str(),
        "icon": ICON,
        "color": COLOR,
        "onClick": ON_CLICK,
        "disabled": Bool(),
        "altText": Str(),
        "type": Str(enum=("TYPE_UNSPECIFIED", "OUTLINED", "FILLED", "FILLED_TONAL", "BORDERLESS")),
    },
    required=("onClick",),
)
WIDGET_TYPES = {
    "textParagraph": Obj({"text": Str(), "maxLines": Int()}, required=("text",)),
    "image": Obj(
        {"imageUrl": Str(non_empty=True), "onClick": ON_CLICK, "altText": Str()},
        required=("imageUrl",),
    ),
    "decoratedText": Obj(
        {
            "icon": ICON,
            "startIcon": ICON,
            "topLabel": Str(),
            "text": Str(),
            "wrapText": Bool(),
            "bottomLabel": Str(),
            "onClick": ON_CLICK,
            "button": BUTTON,
            "switchControl": Obj(
                {
                    "name": Str(),
                    "value": Str(),
                    "selected": Bool(),
                    "onChangeAction": ACTION,
                    "controlType": Str(),
                }
            ),
            "endIcon": ICON,
        },
        required=("text",),
    ),
    "buttonList": Obj({"buttons": Arr(BUTTON, min_items=1)}, required=("buttons",)),
    "divider": Obj({}),
    "textInput": Obj(
        {
            "name": Str(non_empty=True),
            "label": Str(),
            "hintText": Str(),
            "value": Str(),
            "type": Str(enum=("SINGLE_LINE", "MULTIPLE_LINE")),
            "onChangeAction": ACTION,
        },
        required=("name",),
    ),
    "selectionInput": Obj(
        {
            "name": Str(non_empty=True),
            "label": Str(),
            "type": Str(enum=("CHECK_BOX", "RADIO_BUTTON", "SWITCH", "DROPDOWN", "MULTI_SELECT")),
            "items": Arr(
                Obj({"text": Str(), "value": Str(), "selected": Bool()}, required=("text", "value"))
            ),
            "onChangeAction": ACTION,
        },
        required=("name",),
    ),
    "dateTimePicker": Obj(
        {
            "name": Str(non_empty=True),
            "label": Str(),
            "type": Str(enum=("DATE_AND_TIME", "DATE_ONLY", "TIME_ONLY")),
            "valueMsEpoch": Str(),
            "timezoneOffsetDate": Int(),
            "onChangeAction": ACTION,
        },
        required=("name",),
    ),
}
WIDGET = Obj(
    {**WIDGET_TYPES, "horizontalAlignment": Str(enum=("START", "CENTER", "END"))},
    one_of=tuple(WIDGET_TYPES),
)
SECTION = Obj(
    {
        "header": Str(),
        "widgets": Arr(WIDGET, min_items=1),
        "collapsible": Bool(),
        "uncollapsibleWidgetsCount": Int(),
    },
    required=("widgets",),
)
CARD_HEADER = Obj(
    {
        "title": Str(non_empty=True),
        "subtitle": Str(),
        "imageType": Str(enum=("SQUARE", "CIRCLE")),
        "imageUrl": Str(),
        "imageAltText": Str(),
    },
    required=("title",),
)
CARD = Obj(
    {
        "header": CARD_HEADER,
        "sections": Arr(SECTION, min_items=1),
        "sectionDividerStyle": Str(enum=("SOLID_DIVIDER", "NO_DIVIDER")),
        "cardActions": Arr(
            Obj({"actionLabel": Str(), "onClick": ON_CLICK}, required=("actionLabel", "onClick"))
        ),
        "name": Str(),
        "fixedFooter": Obj({"primaryButton": BUTTON, "secondaryButton": BUTTON}),
        "displayStyle": Str(enum=("PEEK", "REPLACE")),
        "peekCardHeader": CARD_HEADER,
    },
    required=("sections",),
)
NAVIGATION = Obj(
    {
        "popToRoot": Bool(),
        "pop": Bool(),
        "popToCard": Str(),
        "pushCard": CARD,
        "updateCard": CARD,
        "endNavigation": Obj({"action": Str(enum=("CLOSE_DIALOG", "CLOSE_DIALOG_AND_EXECUTE"))}),
    },
    one_of=("popToRoot", "pop", "popToCard", "pushCard", "updateCard", "endNavigation"),
)
RENDER_ACTIONS = Obj(
    {
        "action": Obj(
            {
                "navigations": Arr(NAVIGATION, min_items=1),
                "link": Obj({"url": Str(non_empty=True)}, required=("url",)),
                "notification": Obj({"text": Str(non_empty=True)}, required=("text",)),
            }
        ),
        "hostAppAction": Obj({}),
        "schema": Str(),
    },
    required=("action",),
)
SPECS.update(card=CARD, onClick=ON_CLICK)


def render_actions_errors(response: Any) -> list[str]:
    """Every way ``response`` departs from the documented ``RenderActions`` structure."""
    return RENDER_ACTIONS.check(response, "$")
