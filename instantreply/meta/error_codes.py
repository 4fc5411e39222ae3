"""Meta's error codes (WhatsApp Cloud API, Instagram, Messenger) and the platform's
own delivery outcomes, as catalogue entries (§11).

Titles follow Meta's error-code pages; explanation, fault, retryable and next
steps are ours. Fault: ``instantreply`` (our integration), ``meta`` (a Meta-side
problem or decision), ``business`` (the customer's Meta account, configuration,
content or policy standing), ``recipient`` (the person messaged), ``unknown``.
``retryable`` says whether sending the same request again can succeed (possibly
only later); the send worker's automatic retries use the narrower
``AUTO_RETRY_CODES``. Codes with a subcode are written ``"<code>.<subcode>"``.

Registered with the API's catalogue from ``ConversationsConfig.ready()`` so one
lookup serves the troubleshooting endpoints, trigger status and /docs/errors.
"""

from instantreply.api.errors import ErrorSpec

# http_status: what Meta answers with for the code; the platform's delivery
# outcomes below are not HTTP answers of this API and all use 502 (a failure
# upstream of us).
DELIVERY_HTTP_STATUS = 502


def _meta(code, http_status, title, explanation, fault, retryable, next_steps, related=()):
    return ErrorSpec(
        code=code,
        http_status=http_status,
        title=title,
        explanation=explanation,
        fault=fault,
        retryable=retryable,
        next_steps=tuple(next_steps),
        related_codes=tuple(related),
        source="meta",
    )


_THROTTLING = ("4", "613", "80006", "80007", "130429", "131056")
_AUTH = ("0", "190", "200", "10", "3", "131005")
_WINDOW = ("131047", "10.2534022", "10.2018278", "OUTSIDE_MESSAGING_WINDOW")
_TEMPLATE = ("132000", "132001", "132005", "132007", "132012", "132015", "132016", "132018")
_SERVICE = ("1", "2", "131000", "131016", "131057")


def _others(group, code):
    return tuple(c for c in group if c != code)


META_ERRORS: dict[str, ErrorSpec] = {
    s.code: s
    for s in [
        # -- service errors ------------------------------------------------------------
        _meta(
            "1",
            500,
            "API Unknown",
            "Meta could not process the request and did not say why. It is usually a passing problem on Meta's side, occasionally a malformed request.",
            "meta",
            True,
            [
                "Retry once after a short wait.",
                "If it keeps failing, check https://metastatus.com and contact support with the trigger id.",
            ],
            _others(_SERVICE, "1"),
        ),
        _meta(
            "2",
            503,
            "API Service",
            "Meta's service was temporarily down or overloaded. On Instagram and Messenger it can also mean the person has blocked the account.",
            "meta",
            True,
            [
                "Retry with backoff; InstantReply retries this automatically.",
                "If it repeats for one recipient only, treat them as unreachable.",
            ],
            _others(_SERVICE, "2"),
        ),
        _meta(
            "131000",
            500,
            "Something went wrong",
            "Meta failed to send the message because of an unknown error on its side.",
            "meta",
            True,
            [
                "Retry the send; InstantReply retries this automatically.",
                "If it persists, check https://metastatus.com.",
            ],
            _others(_SERVICE, "131000"),
        ),
        _meta(
            "131016",
            503,
            "Service unavailable",
            "A Meta service needed for the send is temporarily unavailable.",
            "meta",
            True,
            ["Retry with backoff; check https://metastatus.com if it lasts."],
            _others(_SERVICE, "131016"),
        ),
        _meta(
            "131057",
            503,
            "Account in maintenance mode",
            "The WhatsApp Business Account is in maintenance mode, for example during a throughput upgrade.",
            "meta",
            True,
            ["Retry in a few minutes; maintenance usually ends on its own."],
            _others(_SERVICE, "131057"),
        ),
        _meta(
            "135000",
            400,
            "Generic user error",
            "Meta reported an unspecified problem with the request's parameters.",
            "unknown",
            False,
            [
                "Check the message content for unusual characters or formatting.",
                "Contact support with the trigger id if it keeps happening.",
            ],
            ("100", "131009"),
        ),
        # -- throttling ----------------------------------------------------------------
        _meta(
            "4",
            400,
            "Too many calls",
            "The app made more Graph API calls than Meta allows in its rate-limit window.",
            "instantreply",
            True,
            ["Retry later; InstantReply backs off and retries this automatically."],
            _others(_THROTTLING, "4"),
        ),
        _meta(
            "613",
            400,
            "Calls to this API have exceeded the rate limit",
            "Too many calls were made to this Instagram or Messenger endpoint in a short time.",
            "instantreply",
            True,
            ["Retry later; InstantReply backs off and retries this automatically."],
            _others(_THROTTLING, "613"),
        ),
        _meta(
            "80006",
            400,
            "Messenger rate limit reached",
            "The Page or Instagram account sent more messages than Meta allows in its rate-limit window.",
            "instantreply",
            True,
            ["Retry later and spread sends over time."],
            _others(_THROTTLING, "80006"),
        ),
        _meta(
            "80007",
            400,
            "Rate limit issues",
            "The WhatsApp Business Account reached its Graph API rate limit.",
            "instantreply",
            True,
            ["Retry later; InstantReply backs off and retries this automatically."],
            _others(_THROTTLING, "80007"),
        ),
        _meta(
            "130429",
            429,
            "Rate limit hit",
            "The phone number sent more messages per second than its Cloud API throughput allows.",
            "instantreply",
            True,
            ["Retry later; InstantReply backs off and retries this automatically."],
            _others(_THROTTLING, "130429"),
        ),
        _meta(
            "131056",
            400,
            "(Business Account, Consumer Account) pair rate limit hit",
            "Too many messages were sent to the same recipient in a short time. Other recipients are not affected.",
            "business",
            True,
            [
                "Wait a minute before messaging this person again.",
                "Combine several short replies into one message.",
            ],
            _others(_THROTTLING, "131056"),
        ),
        # -- auth, tokens and permissions --------------------------------------------
        _meta(
            "0",
            401,
            "AuthException",
            "Meta refused the channel's access token: it expired, was revoked, or the account owner removed the app's access.",
            "business",
            False,
            [
                "Reconnect the channel with a fresh access token (manage.py connect_channel).",
                "Check the channel's health in GET /v1/channels/{id}.",
            ],
            _others(_AUTH, "0") + ("190",),
        ),
        _meta(
            "190",
            401,
            "Access token has expired",
            "The channel's access token has expired or was invalidated (for example after a password change), so Meta refuses every call made with it.",
            "business",
            False,
            [
                "Reconnect the channel with a new long-lived or system-user token.",
                "Messages that failed with this code are not resent automatically; send them again after reconnecting.",
            ],
            _others(_AUTH, "190"),
        ),
        _meta(
            "200",
            403,
            "API Permission",
            "The access token lacks a permission this call needs, or the permission was revoked.",
            "business",
            False,
            [
                "Re-authorise the app with whatsapp_business_messaging, instagram_manage_messages or pages_messaging as appropriate, then reconnect the channel."
            ],
            _others(_AUTH, "200"),
        ),
        _meta(
            "10",
            403,
            "Permission denied",
            "The app does not have, or no longer has, the permission needed for this action on this account.",
            "business",
            False,
            ["Re-grant the app's permissions in Meta Business Settings and reconnect the channel."],
            _others(_AUTH, "10") + ("10.2534022", "10.2018278"),
        ),
        _meta(
            "3",
            400,
            "API Method",
            "The app lacks the capability or permission to call this endpoint.",
            "instantreply",
            False,
            ["Contact support with the trigger id; the app's Meta configuration needs fixing."],
            _others(_AUTH, "3"),
        ),
        _meta(
            "131005",
            403,
            "Access denied",
            "The token's system user has no access to this phone number or WhatsApp Business Account.",
            "business",
            False,
            [
                "Assign the phone number's WhatsApp Business Account to the system user in Meta Business Settings, then reconnect the channel."
            ],
            _others(_AUTH, "131005"),
        ),
        _meta(
            "2018108",
            400,
            "Recipient is not an app role user",
            "The Meta app can only message its own admins, developers and testers because it has no Advanced Access (or is in development mode).",
            "instantreply",
            False,
            ["Contact support: the app needs Advanced Access for messaging through App Review."],
            ("10", "200"),
        ),
        # -- messaging windows -------------------------------------------------------
        _meta(
            "131047",
            400,
            "Re-engagement message",
            "More than 24 hours have passed since the customer last messaged this WhatsApp number, so WhatsApp only accepts approved templates.",
            "business",
            False,
            [
                "Send an approved template to re-open the conversation; free-form replies work again once the customer answers."
            ],
            _others(_WINDOW, "131047"),
        ),
        _meta(
            "10.2534022",
            400,
            "Message sent outside the allowed window (Instagram)",
            "Instagram only accepts replies within 24 hours of the person's last message, or within 7 days when a human agent replies with the human_agent tag.",
            "business",
            False,
            [
                'Within 7 days of the customer\'s last message, have a human agent reply with "tag": "human_agent".',
                "After 7 days, wait for the customer to write again.",
            ],
            _others(_WINDOW, "10.2534022"),
        ),
        _meta(
            "10.2018278",
            400,
            "Message sent outside the allowed window (Messenger)",
            "Messenger only accepts replies within 24 hours of the person's last message, or within 7 days when a human agent replies with the human_agent tag.",
            "business",
            False,
            [
                'Within 7 days of the customer\'s last message, have a human agent reply with "tag": "human_agent".',
                "After 7 days, wait for the customer to write again.",
            ],
            _others(_WINDOW, "10.2018278"),
        ),
        # -- account standing and policy ----------------------------------------------
        _meta(
            "368",
            400,
            "Temporarily blocked for policy violations",
            "Meta restricted or disabled the account for breaking its messaging policies.",
            "business",
            False,
            [
                "Review the account in Business Support Home and Policy Enforcement, fix the cause and appeal.",
                "Pause sends until the restriction is lifted.",
            ],
            ("131031", "131048"),
        ),
        _meta(
            "131031",
            400,
            "Account has been locked",
            "The WhatsApp Business Account was locked, for a policy violation or because data did not match (such as a wrong two-step verification PIN).",
            "business",
            False,
            [
                "Check the account's status in WhatsApp Manager and Business Support Home and resolve the lock."
            ],
            ("368", "131042"),
        ),
        _meta(
            "131048",
            400,
            "Spam rate limit hit",
            "Too many of this number's recent messages were blocked or reported as spam, so Meta is limiting how many it may send.",
            "business",
            True,
            [
                "Check the number's quality rating in WhatsApp Manager.",
                "Send less, to people who expect the messages, and retry after a cool-down.",
            ],
            ("131049", "368"),
        ),
        _meta(
            "131049",
            400,
            "Meta chose not to deliver",
            "Meta withheld this marketing message to keep the ecosystem healthy, usually because the person has received many marketing messages recently.",
            "meta",
            True,
            [
                "Wait at least 24 hours before sending this person another marketing message.",
                "Use a utility template only if the content is genuinely transactional.",
            ],
            ("131048", "130472"),
        ),
        _meta(
            "130472",
            400,
            "User's number is part of an experiment",
            "Meta held back this marketing template because the person is in a marketing-message experiment. The message is not billed.",
            "meta",
            False,
            ["Do not retry; reach the customer another way or wait for them to write."],
            ("131049",),
        ),
        _meta(
            "130497",
            400,
            "Business account restricted from messaging users in this country",
            "The business's category may not message people in the recipient's country.",
            "business",
            False,
            ["Stop sending to this country and review the WhatsApp Business Policy."],
            ("368",),
        ),
        _meta(
            "131037",
            400,
            "Display name approval needed",
            "The WhatsApp number has no approved display name yet, so it cannot send messages.",
            "business",
            False,
            ["Get the display name approved in WhatsApp Manager, then retry."],
            ("133010",),
        ),
        _meta(
            "131042",
            400,
            "Business eligibility payment issue",
            "The WhatsApp Business Account has a billing problem: no valid payment method, an exceeded credit line, or a suspended account.",
            "business",
            False,
            ["Fix the payment method in Meta's Billing Hub or WhatsApp Manager, then resend."],
            ("131031",),
        ),
        _meta(
            "131045",
            400,
            "Incorrect certificate",
            "The phone number's registration is incomplete or its certificate is wrong.",
            "business",
            False,
            ["Re-register the phone number with the Cloud API, then reconnect the channel."],
            ("133010",),
        ),
        _meta(
            "133010",
            400,
            "Phone number not registered",
            "The phone number is not registered on the WhatsApp Cloud API, so it cannot send.",
            "business",
            False,
            [
                "Finish the number's Cloud API registration in WhatsApp Manager, then reconnect the channel."
            ],
            ("131045",),
        ),
        _meta(
            "131063",
            400,
            "Marketing templates disabled for Cloud API",
            "The account routes marketing templates through Meta's Marketing Messages API, so the Cloud API refuses them.",
            "business",
            False,
            [
                "Re-enable marketing templates for the Cloud API in WhatsApp Manager, or send a utility template."
            ],
            ("132001",),
        ),
        _meta(
            "131064",
            400,
            "Message limit: template classification violations",
            "Meta limited template sends because too many of the account's templates were in the wrong category.",
            "business",
            False,
            [
                "Re-categorise templates honestly (promotional content is marketing); the limit lifts after Meta's enforcement period."
            ],
            ("132001",),
        ),
        # -- recipient ---------------------------------------------------------------
        _meta(
            "131026",
            400,
            "Message undeliverable",
            "WhatsApp could not deliver to this person: the number may not be on WhatsApp, they may not have accepted the latest terms, run an old app version, or blocked the business. Meta does not say which.",
            "recipient",
            False,
            [
                "Do not resend; mark the contact as unreachable on WhatsApp.",
                "Ask the customer through another channel to update WhatsApp or check the number.",
            ],
            ("131050", "551"),
        ),
        _meta(
            "131021",
            400,
            "Recipient cannot be sender",
            "The message was addressed to the business's own WhatsApp number.",
            "business",
            False,
            ["Send to the customer's number, not the business's."],
            ("131026",),
        ),
        _meta(
            "131050",
            400,
            "User has stopped marketing messages",
            "The person opted out of marketing messages from this business.",
            "recipient",
            False,
            [
                "Do not resend marketing; mark the contact as opted out. Utility messages are still allowed."
            ],
            ("131026",),
        ),
        _meta(
            "551",
            400,
            "This person isn't available right now",
            "The Instagram or Messenger user cannot receive the message: they blocked the account, deactivated, or restricted messages.",
            "recipient",
            False,
            ["Do not resend; mark the contact as unreachable on this platform."],
            ("131026",),
        ),
        # -- media and message types -------------------------------------------------
        _meta(
            "131051",
            400,
            "Unsupported message type",
            "The message type is not supported for sending on this platform.",
            "instantreply",
            False,
            ["Contact support with the trigger id; InstantReply sent a type Meta does not accept."],
            ("131009",),
        ),
        _meta(
            "131052",
            400,
            "Media download error",
            "Meta could not download media the customer sent, so its content is not available.",
            "recipient",
            False,
            ["Ask the customer to send the file again."],
            ("131053",),
        ),
        _meta(
            "131053",
            400,
            "Media upload error",
            "Meta could not process the media to send: unsupported type, too large, or its URL was unreachable.",
            "business",
            False,
            ["Check the media's type, size and URL, then send again."],
            ("131052",),
        ),
        # -- parameters ----------------------------------------------------------------
        _meta(
            "100",
            400,
            "Invalid parameter",
            "Meta rejected a parameter of the request: unsupported or misspelt, or the recipient is not a valid WhatsApp user.",
            "instantreply",
            False,
            [
                "Contact support with the trigger id; if the recipient's number may be wrong, check it first."
            ],
            ("131008", "131009"),
        ),
        _meta(
            "131008",
            400,
            "Required parameter is missing",
            "The request lacked a field Meta requires.",
            "instantreply",
            False,
            ["Contact support with the trigger id; InstantReply built an incomplete request."],
            ("100", "131009"),
        ),
        _meta(
            "131009",
            400,
            "Parameter value is not valid",
            "A value in the request was not valid, for example a malformed phone number or a message id that no longer exists.",
            "instantreply",
            False,
            [
                "Check the recipient's number and the message content; contact support with the trigger id if they look right."
            ],
            ("100", "131008"),
        ),
        # -- templates -------------------------------------------------------------------
        _meta(
            "132000",
            400,
            "Template param count mismatch",
            "The number of variables sent does not match the number the approved template defines.",
            "instantreply",
            False,
            ["Re-sync the template from Meta and send exactly its number of variables."],
            _others(_TEMPLATE, "132000"),
        ),
        _meta(
            "132001",
            404,
            "Template does not exist",
            "Meta has no approved template with this name and language for the account; it may have been deleted or never approved.",
            "business",
            False,
            [
                "Check the template's name, language and status in WhatsApp Manager; resubmit it if it was deleted."
            ],
            _others(_TEMPLATE, "132001"),
        ),
        _meta(
            "132005",
            400,
            "Template hydrated text too long",
            "After the variables were filled in, the template text is longer than WhatsApp allows.",
            "business",
            False,
            ["Shorten the variable values and send again."],
            _others(_TEMPLATE, "132005"),
        ),
        _meta(
            "132007",
            400,
            "Template format character policy violated",
            "The template's filled-in content breaks a WhatsApp formatting or content policy.",
            "business",
            False,
            [
                "Remove unusual characters, newlines or excessive spaces from the variables; rewrite the template if needed."
            ],
            _others(_TEMPLATE, "132007"),
        ),
        _meta(
            "132012",
            400,
            "Template parameter format mismatch",
            "A variable's format does not match what the template expects (for example positional vs named parameters).",
            "instantreply",
            False,
            [
                "Contact support with the trigger id; the template's parameter format must be re-synced."
            ],
            _others(_TEMPLATE, "132012"),
        ),
        _meta(
            "132015",
            400,
            "Template is paused",
            "Meta paused the template because of low quality feedback; pauses last 3 hours, then 6 hours.",
            "business",
            True,
            ["Stop the campaign, edit the template's content, and resend after the pause ends."],
            _others(_TEMPLATE, "132015"),
        ),
        _meta(
            "132016",
            400,
            "Template is disabled",
            "The template was paused too many times and Meta disabled it permanently.",
            "business",
            False,
            ["Create a new template with different content and submit it for approval."],
            _others(_TEMPLATE, "132016"),
        ),
        _meta(
            "132018",
            400,
            "Template validation error",
            "One of the template's parameters did not pass Meta's checks.",
            "instantreply",
            False,
            [
                "Check the variable values for empty strings or unsupported characters; contact support with the trigger id if they look right."
            ],
            _others(_TEMPLATE, "132018"),
        ),
    ]
}


def _platform(code, title, explanation, fault, retryable, next_steps, related=()):
    return ErrorSpec(
        code=code,
        http_status=DELIVERY_HTTP_STATUS,
        title=title,
        explanation=explanation,
        fault=fault,
        retryable=retryable,
        next_steps=tuple(next_steps),
        related_codes=tuple(related),
        source="platform",
    )


# Outcomes of a send that are ours to name (not HTTP answers of the API).
UNKNOWN_OUTCOME = "UNKNOWN_OUTCOME"
SEND_INTERRUPTED = "SEND_INTERRUPTED"
META_UNREACHABLE = "META_UNREACHABLE"
SEND_INTERNAL_ERROR = "SEND_INTERNAL_ERROR"

DELIVERY_ERRORS: dict[str, ErrorSpec] = {
    s.code: s
    for s in [
        _platform(
            UNKNOWN_OUTCOME,
            "Meta did not answer in time",
            "The request reached Meta but no answer came back before the timeout, so it is unknown whether the message was sent. InstantReply never resends blindly, because that could deliver it twice.",
            "unknown",
            False,
            [
                "Check with the customer or in Meta's inbox whether the message arrived; if it did not, send it again as a new message."
            ],
            (SEND_INTERRUPTED, META_UNREACHABLE),
        ),
        _platform(
            SEND_INTERRUPTED,
            "Send was interrupted",
            "The message was being handed to Meta when the process sending it stopped, so it is unknown whether Meta received it. It is not resent automatically, to avoid a duplicate.",
            "unknown",
            False,
            [
                "Check with the customer or in Meta's inbox whether the message arrived; if it did not, send it again as a new message."
            ],
            (UNKNOWN_OUTCOME,),
        ),
        _platform(
            META_UNREACHABLE,
            "Meta could not be reached",
            "Meta's API refused the connection or kept answering with server errors through every retry, so the message was not sent.",
            "meta",
            True,
            ["Send the message again later; check https://metastatus.com for incidents."],
            ("131000", "2", UNKNOWN_OUTCOME),
        ),
        _platform(
            SEND_INTERNAL_ERROR,
            "InstantReply failed to send",
            "An unexpected error inside InstantReply stopped the message before it reached Meta. It has been logged.",
            "instantreply",
            True,
            ["Send the message again; contact support with the trigger id if it keeps failing."],
            (META_UNREACHABLE,),
        ),
    ]
}

# Codes the send worker may retry with backoff: Meta says the request was not
# processed (throttling, transient service errors).
AUTO_RETRY_CODES = frozenset(
    {"1", "2", "4", "613", "80006", "80007", "130429", "131000", "131016", "131056", "131057"}
)
