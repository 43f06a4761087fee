"""Prompt-injection patterns as data (a data table: exempt from the module size limit).

Each pattern has a category, a language, a weight (how much one hit alone says "injection") and
the view it runs on (see ``mlwarden.guard.normalize``): English patterns run on ``folded``
(lowercase, look-alikes and leetspeak folded, so they are written in plain lowercase ASCII);
Russian and other languages, and patterns that need punctuation (``<|im_start|>``, ``![x](``),
run on ``text`` with ``(?i)``. RE2 ``\\b`` and ``\\w`` are ASCII-only, so non-Latin patterns use
``\\pL`` instead. Each category reports under its own rule id (``INJECTION_RULES``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from mlwarden.core.findings import Severity, Stage
from mlwarden.core.rules import Rule

__all__ = ["CATEGORY_RULES", "CLASSIFIER_RULE", "INJECTION_RULES", "PATTERNS", "Category", "Pattern"]


class Category(StrEnum):
    """What an injection attempt tries to do."""

    OVERRIDE = "override"
    ROLEPLAY = "roleplay"
    EXTRACTION = "extraction"
    DELIMITER = "delimiter"
    INDIRECT = "indirect"
    EXFILTRATION = "exfiltration"
    OBFUSCATION = "obfuscation"


@dataclass(frozen=True, slots=True)
class Pattern:
    """One RE2 pattern: ``name`` is stable and shown in reasons; ``view`` is ``folded`` or ``text``."""

    name: str
    category: Category
    lang: str
    weight: float
    view: str
    regex: str


_O, _R, _E, _D, _I, _X, _B = (
    Category.OVERRIDE, Category.ROLEPLAY, Category.EXTRACTION, Category.DELIMITER, Category.INDIRECT,
    Category.EXFILTRATION, Category.OBFUSCATION,
)  # fmt: skip
F, T = "folded", "text"

_IGNORE = (
    r"(?:ignore|ignoring|disregard\w*|forget|forgetting|skip|bypass|override|overrule|neglect|discard|abandon|"
    r"drop|set aside|throw out|pay no attention to|do not follow|don'?t follow|stop following|erase|delete|wipe|"
    r"nevermind|never mind|cancel|void|scrap|dismiss|stop adhering to|quit following|cease following|"
    r"no longer (?:follow|obey|adhere to)|stop obeying|do not obey|don'?t obey|stop listening to)"
)
# Verbs that, with a rule word, only ever mean "stop obeying"; the weaker ones (cancel, delete, drop,
# wipe, skip ...) also name ordinary operations ("cancel all remaining tasks", "delete all Tcl commands")
# and count only with a referent that points back at earlier instructions.
_IGNORE_STRONG = (
    r"(?:ignore|ignoring|disregard\w*|forget|forgetting|bypass|override|overrule|neglect|pay no attention to|"
    r"do not follow|don'?t follow|stop following|nevermind|never mind|stop adhering to|quit following|"
    r"cease following|no longer (?:follow|obey|adhere to)|stop obeying|do not obey|don'?t obey|stop listening to|"
    r"set aside|throw out|discard|abandon)"
)
_PRIOR_STRONG = (
    r"(?:previous|prior|preceding|above|earlier|former|original|initial|system|developer|pre-?set|foregoing|your)"
)
_RULES_STRONG = (
    r"(?:instructions?|instruction set|directions|directives?|prompts?|rules|guidelines?|constraints?|"
    r"restrictions?|guardrails?|programming|polic(?:y|ies)|safeguards?|system messages?|developer messages?|"
    r"conditioning|limitations?|protocols?|boundaries|content filters?)"
)
_PRIOR = r"(?:previous|prior|preceding|above|earlier|former|original|initial|old|system|developer|pre-?set|foregoing|given|existing|default|current|all|any|every|your|these|those|the)"  # noqa: E501
_RULES = (
    r"(?:instructions?|instruction set|directions?|directives?|prompts?|rules?|guidelines?|commands?|orders?|"
    r"context|constraints?|restrictions?|guardrails?|programming|polic(?:y|ies)|safeguards?|filters?|"
    r"system messages?|developer messages?|training|conditioning|settings|configuration|limitations?|boundaries|"
    r"protocols?|tasks?)"
)
_NO_LIMITS = (
    r"(?:without|no|free (?:of|from)|not bound by|unbound by|ignor\w* (?:all|any|your)?|beyond|unrestricted by|"
    r"unconstrained by|lacking|zero)\s+(?:\w+\s+){0,3}(?:restrictions?|limitations?|limits|filters?|filtering|"
    r"censorship|rules|guidelines|ethics|ethical\w*|morals?|moral\w*|polic(?:y|ies)|safety|safeguards|guardrails|"
    r"boundaries|constraints)"
)
_AI = r"(?:ai|a\.i\.|assistant|chatbot|chat bot|llm|language model|gpt|chatgpt|bot|agent|copilot|model|claude|gemini)"
_SECRETS = (
    r"(?:conversation|chat history|chat log|history|previous messages|system prompt|api[ _-]?keys?|passwords?|"
    r"credentials?|secrets?|tokens?|personal (?:data|information|details)|user(?:'s)? (?:data|information|details)|"
    r"the data|all data|memory|cookies|session|emails?|contacts|documents?|files?|card numbers?|ssn)"
)

PATTERNS: tuple[Pattern, ...] = (
    # --- instruction override (English, folded view) ---
    Pattern("override.en.ignore_prior", _O, "en", 0.9, F,
            rf"\b{_IGNORE_STRONG}\b[^.\n]{{0,40}}?\b{_PRIOR}\b[^.\n]{{0,30}}?\b{_RULES_STRONG}\b|\b{_IGNORE}\b[^.\n]{{0,40}}?\b{_PRIOR_STRONG}\b[^.\n]{{0,30}}?\b{_RULES_STRONG}\b"),
    Pattern("override.en.ignore_prior_weak", _O, "en", 0.6, F,
            rf"\b{_IGNORE_STRONG}\b[^.\n]{{0,40}}?\b{_PRIOR_STRONG}\b[^.\n]{{0,30}}?\b{_RULES}\b"),
    Pattern("override.en.everything_above", _O, "en", 0.8, F,
            rf"\b{_IGNORE}\s+(?:all of |about )?(?:everything|anything|all|what)\s+(?:\w+\s+){{0,3}}?(?:above|before|prior|previously|earlier|so far|you (?:were|have been) (?:told|given|taught|instructed))"),  # noqa: E501
    Pattern("override.en.new_instructions", _O, "en", 0.6, F,
            r"\b(?:new|updated|revised|real|actual|true|overriding|override|priority|important|urgent)\s+(?:system\s+)?(?:instructions?|directives?|orders?|task|rules)\s*(?::|follow|are|is|below|-)"),
    Pattern("override.en.instead", _O, "en", 0.35, F,
            r"\b(?:instead|from now on|from this point(?: on)?|henceforth|starting now|going forward)\b,?\s+(?:you\s+(?:will|must|shall|should|are to)|only|just|always|do not|don'?t|respond|reply|answer|say|output|print|write)"),  # noqa: E501
    Pattern("override.en.no_longer_bound", _O, "en", 0.8, F,
            rf"\b(?:you are|you're|you)\s+(?:no longer|not|never)\s+(?:bound|restricted|limited|constrained|required to follow|obligated to follow)\s+(?:by|to)\b[^.\n]{{0,30}}\b{_RULES}"),  # noqa: E501
    Pattern("override.en.priority_claim", _O, "en", 0.6, F,
            r"\b(?:this|these|my|the following) (?:instructions?|message|prompt|command|request)s? (?:overrides?|supersedes?|takes? (?:priority|precedence) over|replaces?)\b"),  # noqa: E501
    Pattern("override.en.reset", _O, "en", 0.6, F,
            r"\b(?:reset|clear|wipe|flush|reboot|restart)\s+(?:your|all|the)?\s*(?:instructions|memory|context|rules|programming|settings|previous conversation)\b[^.\n]{0,40}\b(?:now|and|then|start|begin)\b"),  # noqa: E501
    # --- role-play jailbreaks ---
    Pattern("roleplay.en.dan", _R, "en", 0.85, F,
            r"\bdo anything now\b|\b(?:you are|you're|act as|become|called|named|as|be)\s+(?:a\s+)?(?:dan|stan|dude|aim|evil ?bot|betterdan|antigpt|devmode)\b"),  # noqa: E501
    Pattern("roleplay.en.mode", _R, "en", 0.8, F,
            r"\b(?:developer|dev|god|admin|debug|unrestricted|jailbreak|jailbroken|evil|chaos|sudo|unfiltered|uncensored|dan|opposite|maintenance)\s*mode\b[^.\n]{0,25}\b(?:enabled|activated|engaged|unlocked|output|response|active)\b|\b(?:enable|activate|enter|switch (?:in)?to|you are (?:now )?in|unlock|turn on|engage)\s+(?:the\s+)?(?:god|unrestricted|jailbreak|jailbroken|evil|chaos|unfiltered|uncensored|dan|opposite)\s*mode\b"),  # noqa: E501
    Pattern("roleplay.en.no_limits_persona", _R, "en", 0.75, F,
            rf"\b(?:act|acting|behave|respond|answer|reply|pretend|roleplay|role-play|role play|play|simulate|imagine|you are|you're|you will be|become|be|as|talk|speak)\b[^.\n]{{0,80}}?\b{_NO_LIMITS}"),  # noqa: E501
    Pattern("roleplay.en.unfiltered_ai", _R, "en", 0.7, F,
            rf"\b(?:unfiltered|uncensored|unrestricted|amoral|unethical|unaligned|jailbroken|rogue|evil|unchained|unshackled|liberated|lawless)\s+(?:\w+\s+)?(?:{_AI}|version|persona|character|entity|alter ego)\b"),  # noqa: E501
    Pattern("roleplay.en.you_are_now", _R, "en", 0.55, F,
            r"\b(?:you are now|you're now|from now on,? you are|you will now (?:act|be|play|respond)|you have been (?:freed|released|liberated|jailbroken|reprogrammed)|you are (?:free|freed) from)\b"),  # noqa: E501
    Pattern("roleplay.en.stay_in_character", _R, "en", 0.45, F,
            r"\b(?:stay|remain|keep) in character\b|\bbreak(?:ing)? character\b|\bnever (?:refuse|decline|say (?:no|you can'?t|sorry))\b|\b(?:must|will|always) answer (?:every|any|all)\b|\bcannot refuse\b"),  # noqa: E501
    Pattern("roleplay.en.grandma", _R, "en", 0.55, F,
            r"\b(?:deceased|dead|late|passed away|departed)\s+(?:grandma|grandmother|granny|grandpa|grandfather|mother|father)\b[^\n]{0,120}\b(?:used to|would)\b"),  # noqa: E501
    Pattern("roleplay.en.hypothetical", _R, "en", 0.5, F,
            r"\b(?:hypothetical(?:ly)?|fictional|in a story|in a world|imagine a world|for a novel|purely academic)\b[^.\n]{0,80}\b(?:no (?:rules|laws|restrictions|ethics|limits|filters)|ai (?:has|had) no|without (?:any )?(?:rules|restrictions|ethics|limits))"),  # noqa: E501
    Pattern("roleplay.en.two_responses", _R, "en", 0.6, F,
            r"\b(?:two|2|dual|both)\s+(?:different\s+)?(?:responses|answers|replies|outputs)\b[^\n]{0,80}\b(?:normal|filtered|classic|standard)\b[^\n]{0,80}\b(?:unfiltered|jailbr\w*|uncensored|developer|dan|unrestricted|evil)"),
    # --- system-prompt extraction ---
    Pattern("extraction.en.show_prompt", _E, "en", 0.85, F,
            r"\b(?:repeat|print|show|reveal|display|output|tell|give|share|disclose|dump|leak|write (?:out|down)|spell|recite|list|expose|copy|echo|return|provide|paste|type out|read|summari[sz]e|translate|what (?:is|are|was|were)|what'?s)\b[^.\n?]{0,40}?\b(?:your|ur|the|initial|original|hidden|secret|internal|confidential|full|exact|entire|complete)\s+(?:\w+\s+){0,2}?(?:system prompt|system message|system instructions?|initial (?:instructions?|prompt)|original (?:instructions?|prompt)|pre-?prompt|hidden (?:instructions?|prompt)|secret (?:instructions?|prompt)|developer (?:message|instructions?|prompt)|meta[- ]?prompt|instructions you (?:were|have been) given|rules you (?:were|have been) given)"),  # noqa: E501
    Pattern("extraction.en.your_instructions", _E, "en", 0.7, F,
            r"\b(?:repeat|print|show|reveal|display|output|dump|leak|disclose|recite|expose|list|tell me|give me|write out|spell out)\s+(?:me\s+)?(?:all\s+)?(?:of\s+)?(?:your|ur)\s+(?:\w+\s+)?(?:instructions|prompt|rules|guidelines|directives|configuration|programming)\b"),  # noqa: E501
    Pattern("extraction.en.what_told", _E, "en", 0.75, F,
            r"\bwhat (?:were|are|have) you (?:been )?(?:told|instructed|programmed|asked|prompted|configured)(?: to do)?\b(?:[^.\n?]{0,30}\b(?:before|initially|at the (?:start|beginning)|originally|by (?:the|your) (?:developers?|creators?|system|operator)))?"),  # noqa: E501
    Pattern("extraction.en.text_above_lead", _E, "en", 0.75, F,
            r"^[^\n]{0,40}?\b(?:repeat|print|output|copy|echo|show|write|return|reproduce|recite)\b[^.\n]{0,30}\b(?:everything|all|the text|the words|the content|all text|the instructions|the lines?|the message)\b[^.\n]{0,30}\b(?:above|before this|prior to this|preceding|so far|verbatim|word for word|at the (?:start|beginning|top))"),  # noqa: E501
    Pattern("extraction.en.text_above", _E, "en", 0.45, F,
            r"\b(?:repeat|print|output|copy|echo|show|write|return|reproduce|recite)\b[^.\n]{0,30}\b(?:everything|all|the text|the words|the content|all text|the instructions|the lines?|the message)\b[^.\n]{0,30}\b(?:above|before this|prior to this|preceding|so far|verbatim|word for word|at the (?:start|beginning|top))"),  # noqa: E501
    Pattern("extraction.en.starting_with", _E, "en", 0.6, F,
            r"\b(?:starting|beginning|begin|start)\s+with\s+['\"]?(?:you are|your instructions|system|i am|<)"),
    # --- delimiter / chat-template smuggling (text view) ---
    Pattern("delimiter.chatml", _D, "any", 0.9, T,
            r"(?i)<\|\s*(?:im_start|im_end|system|endoftext|eot_id|start_header_id|end_header_id|begin_of_text|user|assistant)\s*\|>"),
    Pattern("delimiter.llama", _D, "any", 0.8, T, r"(?i)<<\s*/?sys\s*>>|\[/?inst\]|<s>\s*\[inst|</s>\s*<s>"),
    Pattern("delimiter.fake_tag", _D, "any", 0.6, T,
            r"(?i)[\[<{]\s*/?\s*(?:system|sys|admin|administrator|developer|root|operator|system[ _]message|system[ _]prompt|instructions?)\s*[\]>}]"),  # noqa: E501
    Pattern("delimiter.heading", _D, "any", 0.55, T,
            r"(?im)^\s*(?:#{2,}|={3,}|-{3,}|\*{3,})\s*(?:new\s+|system\s+|updated\s+)?(?:instructions?|system|response|assistant|admin|system prompt)\s*:?\s*(?:#{2,}|={3,}|-{3,})?\s*$"),  # noqa: E501
    Pattern("delimiter.role_label", _D, "any", 0.45, T,
            r"(?im)^\s*(?:system|assistant|developer|admin)\s*(?:override|message|prompt|note|instruction|update)?\s*:\s*\S"),
    Pattern("delimiter.end_of", _D, "en", 0.5, F,
            r"\b(?:end of|end|close|closing)\s+(?:the\s+)?(?:system prompt|system message|instructions|user input|context|document|conversation)\b\s*[\]\-=#>}]"),  # noqa: E501
    # --- indirect injection inside documents ---
    Pattern("indirect.en.ai_reading", _I, "en", 0.85, F,
            rf"\b{_AI}s?\b[^.\n]{{0,30}}\b(?:reading|processing|summari[sz]ing|parsing|analy[sz]ing|seeing|viewing|browsing|that (?:reads?|sees?|processes)|who (?:reads?|sees?|processes))\b[^.\n]{{0,15}}\b(?:this|these|the following|that)\b"),  # noqa: E501
    Pattern("indirect.en.note_to_ai", _I, "en", 0.8, F,
            rf"\b(?:note|message|instructions?|attention|directive|reminder|hint)\s+(?:to|for)\s+(?:the\s+|any\s+|all\s+)?{_AI}s?\b|\b(?:if you are|if you're|attention|dear|hey|hello|to the|to any)\s+(?:an?\s+)?(?:ai|llm|language model|chatbot|gpt|ai assistant|ai agent|automated assistant)\b"),  # noqa: E501
    Pattern("indirect.html_comment", _I, "any", 0.7, T,
            r"(?is)<!--[^>]{0,300}?(?:ignore|instruction|assistant|\bai\b|system|prompt|you must|do not|respond|reply|instead|игнорир|инструкц)"),  # noqa: E501
    Pattern("indirect.hidden_text", _I, "any", 0.6, T,
            r"(?i)(?:display\s*:\s*none|font-size\s*:\s*0|color\s*:\s*(?:white|#fff\b|#ffffff)|visibility\s*:\s*hidden)[^<>]{0,80}>[^<]{0,200}(?:ignore|instruction|assistant|you must|respond|say)"),  # noqa: E501
    Pattern("indirect.en.do_not_tell", _I, "en", 0.7, F,
            r"\b(?:do not|don'?t|never|without)\s+(?:tell|telling|inform|informing|mention|mentioning|reveal|revealing|alert|alerting|notify|let)\w*\s+(?:the\s+)?(?:user|human|reader|customer|operator)\b"),  # noqa: E501
    Pattern("indirect.en.when_summarizing", _I, "en", 0.6, F,
            r"\b(?:when|if|while|whenever)\s+(?:you\s+)?(?:are\s+)?(?:summari[sz]\w*|translat\w*|process\w*|read\w*|analy[sz]\w*|asked about)\s+(?:this|these|the)\b[^.\n]{0,60}\b(?:say|insert|include|append|add|respond|output|tell|recommend|write|state|claim)\b"),  # noqa: E501
    # --- tool use and data exfiltration ---
    Pattern("exfiltration.markdown_image", _X, "any", 0.75, T,
            r"(?i)!\[[^\]]{0,80}\]\(\s*(?:https?:)?//[^)\s]{1,200}\?[^)\s]{0,100}(?:=\s*[{\[$<]|\{|%7b|\$\(|data|q=|secret|history|conv|chat|prompt|key|token|info|msg|leak|user|pwd|pass)"),
    Pattern("exfiltration.en.send_data", _X, "en", 0.8, F,
            rf"\b(?:send|post|upload|forward|transmit|exfiltrate|email|mail|leak|submit|copy|append|include|encode|attach|put|embed)\w*\b[^.\n]{{0,60}}?\b{_SECRETS}\b[^.\n]{{0,60}}?\b(?:to|at|into|via|using)\b[^.\n]{{0,25}}?(?:https?:|www\.|\w+@\w+\.\w+|webhook|server|endpoint|url|link|attacker|remote|external|the following address)"),  # noqa: E501
    Pattern("exfiltration.en.visit_url", _X, "en", 0.55, F,
            r"\b(?:visit|open|fetch|load|browse to|navigate to|request|call|ping|curl|wget|render)\b[^.\n]{0,30}(?:https?:|www\.)\S{0,120}[?&]\S{0,40}=\s*(?:\{|\[|<|\$|%7b)"),  # noqa: E501
    Pattern("exfiltration.en.tool_abuse", _X, "en", 0.55, F,
            r"\b(?:call|use|invoke|run|execute|trigger)\s+(?:the\s+)?(?:\w+\s+)?(?:tool|function|plugin|api|browser|shell|terminal|email tool|send_email)\b[^.\n]{0,60}\b(?:send|delete|transfer|forward|email|post|wire|rm -rf|drop table|exfiltrate|pay)\b"),  # noqa: E501
    # --- obfuscation and payload splitting ---
    Pattern("obfuscation.en.decode_and_follow", _B, "en", 0.75, F,
            r"\b(?:decode|decrypt|decipher|translate|convert|reverse|unscramble|read)\b[^.\n]{0,40}\b(?:base ?64|b64|rot ?13|rot-13|hex|hexadecimal|binary|morse|caesar|cipher|backwards|reversed|encoded|encrypted|leetspeak|leet)\b[^\n]{0,80}\b(?:follow|execute|do (?:it|what|as)|obey|run|perform|act on|comply|carry out|then answer|instructions)\b"),  # noqa: E501
    Pattern("obfuscation.en.payload_split", _B, "en", 0.7, F,
            r"\b(?:concatenat\w*|combine|join|put together|merge|add together|glue)\b[^.\n]{0,50}\b(?:strings?|parts?|pieces?|variables?|fragments?|halves|segments?|tokens?|words)\b[^\n]{0,80}\b(?:follow|execute|do|answer|respond to|instructions?|obey|perform|carry out|act on|comply)\b"),  # noqa: E501
    Pattern("obfuscation.variable_split", _B, "any", 0.55, T,
            r"(?i)\b[a-z]\w{0,6}\s*=\s*['\"][^'\"\n]{1,60}['\"]\s*[;,\n]\s*[a-z]\w{0,6}\s*=\s*['\"][^'\"\n]{1,60}['\"][\s\S]{0,120}\b[a-z]\w{0,6}\s*\+\s*[a-z]\w{0,6}\b"),
    # --- generalised extraction, override and persona constructions (EN) ---
    Pattern("extraction.en.verb_your_referent", _E, "en", 0.75, F,
            r"\b(?:repeat|print|reveal|display|output|dump|leak|disclose|recite|spell out|write out|write down|copy|echo|reproduce|quote|paste|show me|tell me|give me|send me|list|summari[sz]e|paraphrase|translate|enumerate|type out|read back|recap|put)\b[^.\n?]{0,30}?\b(?:your|ur)\s+(?:\w+\s+){0,2}?(?:instructions|prompt|system message|initiali[sz]ation|preamble|setup text|directives|pre-?prompt|programming|configuration|guidelines|rules|constraints|hidden context|context window)\b"),  # noqa: E501
    Pattern("extraction.en.you_were_given", _E, "en", 0.6, F,
            r"\b(?:instructions|prompt|rules|guidelines|directions|directives|preamble|setup|configuration|text|words|guidance|orders|constraints)\s+(?:that\s+)?(?:you\s+(?:were|have been|got|received)\s+(?:given|loaded with|fed|handed|initiali[sz]ed with|configured with|provided|programmed with|told|sent|trained with)|(?:the\s+)?(?:operator|developer|developers|creator|system|admin)s?\s+(?:gave|wrote|placed|set|put)\s+(?:for|on)?\s*you)"),  # noqa: E501
    Pattern("extraction.en.what_your_prompt", _E, "en", 0.7, F,
            r"\bwhat(?:'s| is| are| was| were| does)\s+(?:in\s+)?(?:your|ur)\s+(?:\w+\s+)?(?:instructions|system prompt|prompt|system message|initial prompt|directives|configuration|initiali[sz]ation|preamble|hidden rules|secret instructions|exact instructions|pre-?prompt)\b"),  # noqa: E501
    Pattern("extraction.en.written_above", _E, "en", 0.7, F,
            r"\bwhat(?:'s| is| was| has been| came| comes| appears| sits| text is)?\s+(?:written|said|stated|typed|shown|stored|the text|the content|everything)?\s*(?:above|before (?:this|my|the user'?s?) (?:message|question|prompt|line|conversation))\b"),  # noqa: E501
    Pattern("override.en.void", _O, "en", 0.45, F,
            r"\b(?:previous|prior|earlier|original|initial|old|system|your|all|these|those|existing|current|above)\s+(?:\w+\s+){0,2}?(?:instructions|rules|guidelines|directives|orders|guidance|constraints|restrictions|filters|prompt|programming|policies|directions)\b[^.\n]{0,25}?\b(?:are|is|were|have been|has been)\s+(?:now\s+|hereby\s+|officially\s+)?(?:void|cancell?ed|revoked|obsolete|outdated|superseded|replaced|overridden|null|invalid|lifted|suspended|irrelevant|deleted|disabled|removed|no longer (?:valid|in effect|apply|applicable|active|relevant))"),  # noqa: E501
    Pattern("roleplay.en.freed_from", _R, "en", 0.7, F,
            r"\b(?:released|freed|liberated|unshackled|unchained|exempt|broken free)\s+(?:from|of)\s+(?:all\s+|any\s+|every\s+|your\s+|its\s+|the\s+|their\s+|of\s+)*(?:\w+\s+)?(?:rules|guidelines?|restrictions|programming|filters|constraints|polic(?:y|ies)|limitations|ethics|censorship|safeguards|guardrails)\b"),  # noqa: E501
    Pattern("roleplay.en.persona_no_limits", _R, "en", 0.7, F,
            r"\b(?:ai|assistant|bot|chatbot|model|version of (?:you|yourself)|language model|gpt)\s+(?:\w+\s+){0,3}?(?:with|has|having|that has|who has)\s+(?:absolutely\s+)?no\s+(?:moral\w*|ethic\w*|filters?|limits|rules|restrictions|conscience|guidelines|censorship|boundaries|safeguards)\b"),  # noqa: E501
    Pattern("roleplay.en.persona_switch", _R, "en", 0.45, F,
            r"\b(?:your (?:new )?(?:name|identity|persona) is (?:now )?|you will (?:now )?be called |switch (?:personalities|personas?|identities) |new persona:|you(?:'re| are) no longer (?:an? )?(?:ai|assistant|chatgpt|language model|bound|restricted)|you are (?:now )?(?:an? )?(?:unfiltered|uncensored|unrestricted|unlocked|unbound|jailbroken)\b)"),  # noqa: E501
    Pattern("indirect.en.addressed_reader", _I, "en", 0.6, F,
            r"\b(?:automated|ai|llm|bot|model|assistant|summari[sz]er|agent)\s+(?:reader|instructions?|directive|note|notice|command)s?\s*[:\-—]|\b(?:model|llm|ai|assistant|chatbot|bot|agent|summari[sz]er)\s*,?\s+(?:when|if|once|whenever|after|while)\s+you\s+(?:see|read|process|summari[sz]e|encounter|parse|get to|reach)\s+(?:this|these)"),  # noqa: E501
    # --- Russian (text view: real Cyrillic, never folded) ---
    Pattern("override.ru.ignore", _O, "ru", 0.9, T,
            r"(?i)(?:игнориру|проигнориру|забуд|забыть|отбрось|отбрас|отмени|пренебреги|не обращай\pL* внимани\pL* на|не следуй|перестань следовать|не слушай|не учитывай|сбрось|обнули|отключи)\pL*[^.\n]{0,40}?(?:предыдущ|прежн|вышеуказан|вышеизложен|выше|ранее|всё|все|свои|твои|системн|изначальн|исходн|данн|старые|прошл|любые|эти)\pL*[^.\n]{0,30}?(?:инструкци|указани|правил|ограничени|директив|команд|промпт|запрет|настройк|установк|системн\pL* сообщени|фильтр|политик)"),  # noqa: E501
    Pattern("override.ru.new_instructions", _O, "ru", 0.6, T,
            r"(?i)(?:нов\pL*|настоящ\pL*|обновлённ\pL*|обновленн\pL*|важн\pL*|приоритетн\pL*)\s+(?:системн\pL*\s+)?(?:инструкци|указани|задач|правил)\pL*\s*[:\-]"),
    Pattern("override.ru.from_now", _O, "ru", 0.35, T,
            r"(?i)(?:с этого момента|с этой минуты|отныне|теперь)\s+(?:ты\s+)?(?:будешь|должен|обязан|отвечай|отвечаешь)"),  # noqa: E501
    Pattern("override.ru.void", _O, "ru", 0.6, T,
            r"(?i)(?:все\s+|любые\s+)?(?:предыдущ|прежн|прошл|изначальн|исходн|системн|старые|твои|ваши)\pL*\s+(?:\pL+\s+)?(?:инструкци|указани|правил|распоряжени|ограничени|директив|запрет|рамк)\pL*[^.\n]{0,20}?(?:отменя|отменен|отменён|аннулир|больше не (?:действу|применя|нужн)|устарел|сняты|недействительн)"),  # noqa: E501
    Pattern("roleplay.ru.no_limits", _R, "ru", 0.75, T,
            r"(?i)(?:ты|вы|отвечай|веди|действуй|притвор|представь|сыграй|будь|стань|роль)\pL*[^.\n]{0,60}?без\s+(?:каких-либо\s+|всяких\s+|любых\s+|каких-то\s+)?(?:ограничени|цензур|фильтр|правил|морал|этик|запрет)"),
    Pattern("roleplay.ru.mode", _R, "ru", 0.75, T,
            r"(?i)(?:(?:активиру|активирова|включи|включа|запуст|переключ|перейди|войди|ты в|ты теперь в|теперь ты в|работаешь в)\pL*\s+(?:в\s+)?)режим\pL*\s+(?:разработчика|бога|dan|джейлбрейк\pL*|администратора)\s*(?:[.!:,]|$|без|актив|включ)|режим\pL*\s+(?:разработчика|бога|dan|джейлбрейк\pL*)\s+(?:активирован|включ[её]н|без)|режим\pL*\s+без\s+(?:ограничений|цензуры|фильтров)|(?:ты больше не|теперь ты|ты теперь)\s+(?:не\s+)?(?:ограничен|связан|обязан|ии|ассистент|dan|свобод)\pL*|(?:без|нет)\s+цензуры\s+и\s+(?:ограничений|правил)"),  # noqa: E501
    Pattern("extraction.ru.show_prompt", _E, "ru", 0.85, T,
            r"(?i)(?:покажи|выведи|повтори|раскрой|скажи|расскажи|дай|перечисли|процитируй|распечатай|выдай|какие|какой|каков|воспроизведи|скопируй|напечатай|перескажи|продублируй|переведи)\pL*[^.\n?]{0,40}?(?:системн\pL*\s+(?:промпт|подсказк|инструкци|сообщени|настройк)|исходн\pL*\s+(?:инструкци|промпт)|первоначальн\pL*\s+(?:инструкци|промпт)|скрыт\pL*\s+(?:инструкци|промпт)|(?:свои|твои|ваши)\s+(?:инструкци|правил|директив|настройк)|(?:твой|свой|ваш)\s+(?:промпт|системный))"),
    Pattern("extraction.ru.text_above", _E, "ru", 0.6, T,
            r"(?i)(?:покажи|выведи|повтори|перескажи|процитируй|скопируй|продублируй|напечатай|распечатай|воспроизведи|выдай|отправь)\pL*[^.\n?]{0,30}?(?:текст\pL*\s+выше|(?:всё|все|то),?\s+что\s+(?:написано|было|идёт|идет|находится|стоит)\s+(?:выше|до|перед)|предшествующ\pL*\s+текст|начало\s+(?:диалога|разговора|чата|переписки)|служебн\pL*\s+(?:инструкци|указани|сообщени))"),
    Pattern("extraction.ru.which_instructions", _E, "ru", 0.7, T,
            r"(?i)(?:какие|какое|каковы|что\s+за)\s+(?:у\s+)?(?:тебя|вас)\s+(?:есть\s+)?(?:\pL+\s+)?(?:инструкци|указани|правил|ограничени|настройк|директив)|что\s+(?:написано|было написано|сказано|стоит)\s+(?:выше|до моего|перед моим)|(?:какие|какой)\s+(?:указани|инструкци|промпт)\pL*\s+(?:тебе\s+)?(?:дал|дали|задал|задали|написал|написали)"),  # noqa: E501
    Pattern("extraction.ru.what_told", _E, "ru", 0.75, T,
            r"(?i)что\s+(?:тебе|вам)\s+(?:сказали|велели|приказали|написали|поручили|запретили)|(?:весь|всё|все)\s+(?:текст\s+)?(?:что|который)\s+(?:был[оа]?\s+)?(?:выше|до этого)"),  # noqa: E501
    Pattern("indirect.ru.ai_reading", _I, "ru", 0.8, T,
            r"(?i)(?:ии|ai|ассистент|нейросет|модел|бот|чат-бот|языков\pL* модел)\pL*[^.\n]{0,30}(?:читающ|обрабатывающ|анализирующ|который (?:читает|обрабатывает))|(?:примечание|заметка|инструкция|сообщение|указание)\s+для\s+(?:ии|ассистента|модели|бота|нейросети|ai)"),  # noqa: E501
    Pattern("exfiltration.ru.send", _X, "ru", 0.8, T,
            r"(?i)(?:отправь|перешли|передай|загрузи|вышли|отошли|слей)\pL*[^.\n]{0,60}?(?:истори|переписк|парол|ключ|токен|данны|промпт|секрет|контакт|диалог)\pL*[^.\n]{0,60}?(?:https?://|на адрес|на сервер|на почту|\S+@\S+)"),  # noqa: E501
    # --- Ukrainian ---
    Pattern("override.uk.ignore", _O, "uk", 0.9, T,
            r"(?i)(?:ігноруй|игноруй|проігноруй|забудь|не зважай|відкинь|не виконуй|знехтуй|скасуй)\pL*[^.\n]{0,40}?(?:попередн|всі|усі|свої|твої|системн|вищенаведен|вище|початков|розробник)\pL*[^.\n]{0,30}?(?:інструкці|вказівк|правил|обмежен|команд)"),  # noqa: E501
    Pattern("extraction.uk.show_prompt", _E, "uk", 0.85, T,
            r"(?i)(?:покажи|виведи|повтори|розкрий|скажи)\pL*[^.\n?]{0,40}?(?:системн\pL*\s+(?:промпт|інструкці|підказк)|(?:свої|твої)\s+(?:інструкці|правила))"),
    # --- Spanish, Portuguese, Italian ---
    Pattern("override.es.ignore", _O, "es", 0.9, T,
            r"(?i)(?:ignora|ignore|olvida|olvide|omite|descarta|haz caso omiso|no sigas|deja de seguir|ignorar|esqueça|esqueca|dimentica|ignori)\pL*[^.\n]{0,40}?(?:instrucciones|reglas|indicaciones|directrices|órdenes|restricciones|instruções|instrucoes|regras|istruzioni|regole)"),  # noqa: E501
    Pattern("extraction.es.show_prompt", _E, "es", 0.85, T,
            r"(?i)(?:muestra|muéstrame|revela|repite|imprime|dime|escribe|enséñame|mostra|mostre|rivela|ripeti)\pL*[^.\n?]{0,40}?(?:prompt del sistema|instrucciones (?:iniciales|originales|del sistema|ocultas)|tu prompt|tus instrucciones|prompt do sistema|prompt di sistema|tue istruzioni|suas instruções)"),  # noqa: E501
    Pattern("roleplay.es.no_limits", _R, "es", 0.75, T,
            r"(?i)(?:eres|actúa|actua|responde|finge|sé|compórtate|sei|agisci)\pL*[^.\n]{0,60}?(?:sin|senza|sem)\s+(?:ninguna\s+|ningún\s+|nenhuma\s+|alcuna\s+)?(?:restricci|censura|filtro|límite|limite|regla|reglas|restriç|ética|etica)|modo\s+(?:desarrollador|dios|sin restricciones|sviluppatore|desenvolvedor)"),  # noqa: E501
    # --- German ---
    Pattern("override.de.ignore", _O, "de", 0.9, T,
            r"(?i)(?:ignorier|vergiss|vergessen sie|missachte|übergehe|überspringe|verwirf|befolge nicht|folge nicht)\pL*[^.\n]{0,40}?(?:anweisung|instruktion|regeln|vorgaben|befehle|richtlinien|einschränkung|beschränkung|vorschriften)"),  # noqa: E501
    Pattern("extraction.de.show_prompt", _E, "de", 0.85, T,
            r"(?i)(?:zeig|gib|wiederhole|verrate|nenne|drucke|schreibe|sag)\pL*[^.\n?]{0,40}?(?:systemprompt|system-prompt|systemanweisung|systemnachricht|anfängliche\pL* anweisung|ursprüngliche\pL* anweisung|deine anweisungen|deinen prompt|versteckte\pL* anweisung)"),  # noqa: E501
    Pattern("roleplay.de.no_limits", _R, "de", 0.75, T,
            r"(?i)(?:du bist|agiere|antworte|tu so|verhalte dich|spiele)\pL*[^.\n]{0,60}?ohne\s+(?:jegliche\pL*\s+|irgendwelche\pL*\s+)?(?:einschränkung|beschränkung|regeln|filter|zensur|grenzen|moral|ethik)|entwicklermodus|gott-?modus"),  # noqa: E501
    # --- French ---
    Pattern("override.fr.ignore", _O, "fr", 0.9, T,
            r"(?i)(?:ignore|oublie|oubliez|ignorez|ne tiens pas compte|ne tenez pas compte|néglige|fais abstraction|ne suis pas|ne suivez pas)\pL*\s+(?:de\s+|des\s+)?(?:toutes\s+|tous\s+)?(?:les|tes|vos|ces|mes|nos|la|le|l')\s*[^.\n]{0,40}?(?:instructions|consignes|règles|directives|restrictions|indications)"),  # noqa: E501
    Pattern("extraction.fr.show_prompt", _E, "fr", 0.85, T,
            r"(?i)(?:montre|affiche|révèle|répète|donne|imprime|dis|écris|recopie)\pL*[^.\n?]{0,40}?(?:prompt système|prompt systeme|invite système|message système|instructions (?:initiales|d'origine|système|cachées)|tes instructions|vos instructions|ton prompt)"),  # noqa: E501
    Pattern("roleplay.fr.no_limits", _R, "fr", 0.75, T,
            r"(?i)(?:tu es|agis|réponds|fais semblant|comporte-toi|joue)\pL*[^.\n]{0,60}?sans\s+(?:aucune?\s+)?(?:restriction|limite|censure|filtre|règle|morale|éthique)|mode\s+(?:développeur|dieu|sans restriction)"),  # noqa: E501
    # --- Chinese ---
    Pattern("override.zh.ignore", _O, "zh", 0.9, T,
            r"(?:忽略|无视|忘记|忘掉|不要理会|不要遵守|跳过|覆盖|抛开|放弃)[^。\n]{0,20}?(?:指令|指示|说明|规则|提示|限制|设定|要求|命令)"),
    Pattern("extraction.zh.show_prompt", _E, "zh", 0.85, T,
            r"(?:显示|输出|打印|告诉我|重复|透露|泄露|给我看|展示|说出)[^。\n]{0,20}?(?:系统提示|系统指令|初始指令|原始指令|你的指令|提示词|系统消息|隐藏指令)"),
    Pattern("roleplay.zh.no_limits", _R, "zh", 0.7, T,
            r"(?:进入|進入|开启|開啟|启用|啟用|激活|切换到|處於|处于|打开|打開)(?:了)?(?:开发者|開發者|上帝)模式|上帝模式|没有任何限制|不受任何限制|不受限制的|无限制模式|越狱模式|(?:扮演|假装|你现在是)[^。\n]{0,30}(?:没有|不受|无)[^。\n]{0,6}(?:限制|规则|审查|道德)"),
    Pattern("override.zh.ignore_prior", _O, "zh", 0.9, T,
            r"(?:忽略|无视|無視|忘记|忘記|忘掉|不要理会|不要理會|别管|別管)[^。\n]{0,8}?(?:之前|先前|以上|上面|前面|所有|全部|开发者|開發者|你的|原来|原來|初始)[^。\n]{0,8}?(?:指令|指示|规则|規則|设定|設定|提示词|提示詞|系统提示|系統提示)"),
    Pattern("extraction.zh.show_prompt_trad", _E, "zh", 0.85, T,
            r"(?:顯示|輸出|告訴我|重複|洩露|透露|貼出|说出|說出|复制|複製)[^。\n]{0,20}?(?:系統提示|系統指令|初始指令|初始設定|提示詞|系统提示词|初始设定)"),
    # --- Japanese, Arabic, Turkish ---
    Pattern("override.ja.ignore", _O, "ja", 0.85, T,
            r"(?:以前|前|上記|これまで|すべて|全て|最初)の?[^。\n]{0,10}?(?:指示|命令|ルール|指令|制限)[^。\n]{0,6}?(?:無視|忘れ)"),
    Pattern("extraction.ja.show_prompt", _E, "ja", 0.8, T,
            r"(?:システムプロンプト|初期指示|最初の指示|あなたの指示|隠された指示)[^。\n]{0,10}?(?:表示|見せ|教え|出力|繰り返|書い)"),
    Pattern("override.ja.ignore_prior", _O, "ja", 0.85, T,
            r"(?:以前|前|上|これまで|最初|開発者)の(?:すべての|全ての)?(?:指示|命令|ルール|指令|設定)(?:は|を)?(?:すべて|全て|全部)?(?:無視|忘れ)"),
    Pattern("extraction.ja.given_instructions", _E, "ja", 0.8, T,
            r"(?:与えられた|設定された|最初の)(?:指示|ルール|命令|プロンプト)[^。\n]{0,15}?(?:表示|見せ|教え|出力|繰り返|翻訳|引用)"),
    Pattern("override.ar.ignore", _O, "ar", 0.85, T,
            r"(?:تجاهل|انس|تجاوز|لا تتبع)[^.\n]{0,30}?(?:التعليمات|الأوامر|القواعد|التوجيهات|تعليماتك)"),
    Pattern("extraction.ar.show_prompt", _E, "ar", 0.8, T,
            r"(?:اعرض|أظهر|اكشف|كرر|اطبع|أخبرني)[^.\n]{0,30}?(?:موجه النظام|تعليمات النظام|تعليماتك|التعليمات الأصلية)"),  # noqa: E501
    Pattern("override.ar.ignore_prior", _O, "ar", 0.9, T,
            r"(?:تجاهل|انس|تجاوز|لا تلتزم ب|لا تتبع)[^.\n]{0,20}?(?:التعليمات السابقة|تعليمات المطورين|قواعدك|إرشاداتك|الإرشادات السابقة|القواعد المعطاة)"),  # noqa: E501
    Pattern("override.ko.ignore", _O, "ko", 0.85, T,
            r"(?:이전|앞의|위의|지금까지|처음|개발자)[^.\n]{0,12}?(?:지시|지침|규칙|명령|프롬프트)[^.\n]{0,8}?(?:무시|잊어)"),
    Pattern("extraction.ko.show_prompt", _E, "ko", 0.8, T,
            r"(?:(?:너의|네|당신의)\s*(?:시스템 프롬프트|초기 지침)|처음 설정된 규칙|받은 지침)[^.\n]{0,20}?(?:보여|출력|알려|번역|말해)"),  # noqa: E501
    Pattern("override.hi.ignore", _O, "hi", 0.85, T,
            r"(?:पिछले|पहले|सभी|सारे|अपने)[^।\n]{0,25}?(?:निरदेश|निर्देश|नियम)[^।\n]{0,25}?(?:अनदेखा|नजरअंदाज|भूल जा|इग्नोर)"),
    Pattern("override.hi.ignore_latin", _O, "hi", 0.85, F,
            r"\b(?:pichle|pehle ke|saare|sabhi)\s+(?:\w+\s+)?(?:instructions|rules|nirdesh)\s+(?:ko\s+)?(?:ignore|bhool)"),  # noqa: E501
    Pattern("override.pl.ignore", _O, "pl", 0.85, T,
            r"(?i)(?:zignoruj|ignoruj|zapomnij o|olej|nie stosuj się do)\pL*\s+[^.\n]{0,30}?(?:poprzedni|wcześniejsz|wszystki|swoje|twoje|systemow|początkow)\pL*\s+(?:\pL+\s+)?(?:instrukcj|zasad|reguł|wytycz|polece|ogranicze)"),  # noqa: E501
    Pattern("override.nl.ignore", _O, "nl", 0.85, T,
            r"(?i)(?:negeer|vergeet|trek je niets aan van)\s+(?:\pL+\s+){0,3}?(?:vorige|voorgaande|eerdere|oorspronkelijke|je|jouw|alle)\s+(?:\pL+\s+)?(?:instructies|regels|richtlijnen|aanwijzingen|systeeminstructies)"),  # noqa: E501
    Pattern("override.vi.ignore", _O, "vi", 0.85, T,
            r"(?i)(?:bỏ qua|phớt lờ|quên|lờ đi|đừng tuân theo)[^.\n]{0,30}?(?:hướng dẫn|chỉ dẫn|chỉ thị|quy tắc)\s+(?:trước|ban đầu|của bạn|hệ thống)"),  # noqa: E501
    Pattern("override.id.ignore", _O, "id", 0.85, T,
            r"(?i)(?:abaikan|lupakan|jangan ikuti|tidak usah ikuti)\s+[^.\n]{0,30}?(?:instruksi|aturan|arahan)(?:mu\b|\s+(?:sebelumnya|awal|kamu|sistem))"),  # noqa: E501
    Pattern("override.pt.ignore_prior", _O, "pt", 0.9, T,
            r"(?i)(?:ignore|ignora|esqueça|esquece|desconsidere|desconsidera)\s+(?:todas\s+)?(?:as\s+)?(?:suas\s+|tuas\s+)?(?:instruções|regras)\s+(?:anteriores|iniciais|do sistema|dos desenvolvedores)"),  # noqa: E501
    Pattern("override.tr.ignore_rules", _O, "tr", 0.85, T,
            r"(?i)(?:talimatlar|kurallar|yönergeler)\pL*\s+(?:\pL+\s+)?(?:yok say|görmezden gel|unutun|unut|boş ?ver|dikkate alma)(?:\PL|$)"),  # noqa: E501
    Pattern("override.tr.ignore", _O, "tr", 0.85, T,
            r"(?i)(?:önceki|tüm|bütün|yukarıdaki|verilen)\s+(?:\pL+\s+)?(?:talimatları|kuralları|komutları|yönergeleri)\s+(?:yok say|görmezden gel|unut|boş ?ver|dikkate alma)"),  # noqa: E501
    Pattern("extraction.tr.show_prompt", _E, "tr", 0.8, T,
            r"(?i)(?:sistem istemini|sistem komutunu|talimatlarını|sistem mesajını|ilk talimatları)[^.\n]{0,20}?(?:göster|yaz|tekrarla|söyle|paylaş)"),  # noqa: E501
)  # fmt: skip

_RISKS = ("SERVE-01",)
_HELP_REMEDIATION = (
    "Keep the block on; if this prompt is legitimate, allowlist the rule for this route in guard.yaml, and never "
    "give the model tools or data that an injected instruction could misuse."
)


def _rule(number: int, title: str, help_text: str) -> Rule:
    return Rule(
        id=f"MW-INJ-{number:03d}",
        title=title,
        severity=Severity.HIGH,
        risk_ids=_RISKS,
        stage=Stage.SERVING,
        help=help_text,
        remediation=_HELP_REMEDIATION,
        cwe="CWE-77",
    )


CATEGORY_RULES: dict[Category, Rule] = {
    Category.OVERRIDE: _rule(1, "Prompt injection: instruction override",
                             "The text tells the model to ignore or replace its instructions."),
    Category.ROLEPLAY: _rule(2, "Prompt injection: role-play jailbreak",
                             "The text assigns the model a persona or mode free of its rules (DAN, developer mode)."),
    Category.EXTRACTION: _rule(3, "Prompt injection: system-prompt extraction",
                               "The text asks the model to reveal its system prompt or hidden instructions."),
    Category.DELIMITER: _rule(4, "Prompt injection: chat-template or delimiter smuggling",
                              "The text carries chat-template tokens or fake system/role markers."),
    Category.INDIRECT: _rule(5, "Prompt injection: instructions hidden in a document",
                             "Content meant as data addresses the AI that reads it, or hides instructions."),
    Category.EXFILTRATION: _rule(6, "Prompt injection: data exfiltration or tool abuse",
                                 "The text asks the model to send data to an external address or misuse a tool."),
    Category.OBFUSCATION: _rule(7, "Prompt injection: encoded or split instructions",
                                "Instructions hidden by encoding (base64, hex, ROT13 ...) or split into pieces."),
}  # fmt: skip
CLASSIFIER_RULE = _rule(8, "Prompt injection: classifier", "The bundled classifier scores the text as an injection.")
INJECTION_RULES: tuple[Rule, ...] = (*CATEGORY_RULES.values(), CLASSIFIER_RULE)
