"""Find Local Offer services for what the family asked, saying back what was understood."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import SafeAction, helpline_phone
from bot.directory import find_services_for_family
from bot.vocabulary import QUADRANT_LABELS


class ActionSearchServices(SafeAction):
    def name(self) -> Text:
        return "action_search_services"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        text = tracker.latest_message.get("text") or ""
        search = find_services_for_family(
            "" if text.startswith("/") else text,
            need=tracker.get_slot("need"),
            category=tracker.get_slot("service_category"),
            district=tracker.get_slot("district"),
            age=tracker.get_slot("age"),
        )
        if search.outside_area:
            dispatcher.utter_message(response="utter_outside_area", area=search.outside_area["name"],
                                     local_offer=search.outside_area["local_offer"], url=search.outside_area["url"])
            return []
        result = search.result
        if not result.found:
            dispatcher.utter_message(response="utter_services_none", described=search.described,
                                     phone=helpline_phone(search.quadrant))
            return []
        if result.widened_to:
            widened = "the whole of Essex" if result.widened_to == "county" else QUADRANT_LABELS.get(
                search.quadrant or "", "a wider area")
            dispatcher.utter_message(response="utter_services_widened", asked=search.district_name or "that area",
                                     widened=widened)
        dispatcher.utter_message(response="utter_services_intro", described=search.described)
        for card in result.cards:
            dispatcher.utter_message(
                response="utter_service_card",
                name=card.name,
                example=" (example)" if card.is_example and "example" not in card.name.lower() else "",
                description=card.description,
                who_for=card.who_for,
                area=card.area,
                cost=card.cost,
                contact=card.contact,
                referral=card.referral,
            )
        if any(card.is_example for card in result.cards):
            dispatcher.utter_message(response="utter_services_example_note")
        return [SlotSet("district", None), SlotSet("need", None), SlotSet("service_category", None), SlotSet("age", None)]
