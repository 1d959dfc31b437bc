"""Line rules for text scrapes: each names a kind of page furniture that a
paragraph can be recognised as on its own. The rule name is what the import
preview shows as the reason a paragraph was dropped."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from reader.importing.text_dates import MONTH_WORD


@dataclass(frozen=True)
class LineRule:
    name: str
    pattern: re.Pattern[str]
    max_words: int  # longer paragraphs are prose that merely mentions the subject
    # The pattern cannot match unless the line has one of these words (casefolded)
    # or one of these characters: a set lookup spares most lines the regex.
    triggers: frozenset[str]
    marks: str = ""
    # Every alternative is anchored at the start, after which a trigger word comes first.
    anchored: bool = False

    def matches(self, text: str, words: int) -> bool:
        tokens = TOKEN.findall(text.casefold())
        return self._matches(text, words, frozenset(tokens), tokens[0] if tokens else "")

    def _matches(self, text: str, words: int, tokens: frozenset[str], first: str) -> bool:
        if words > self.max_words:
            return False
        if self.anchored:
            hit = first in self.triggers
        else:
            hit = not tokens.isdisjoint(self.triggers)
        if not hit and not any(m in text for m in self.marks):
            return False
        return self.pattern.search(text) is not None


TOKEN = re.compile(r"\w+")


def _words(spec: str) -> frozenset[str]:
    return frozenset(spec.split())


# The page's own buttons that change the text's size ("Text size", "Increase font size"),
# also a page control that is never a pasted page's title (text.PAGE_CONTROL).
TEXT_SIZE_CONTROL = (
    r"(?:increase|decrease|reset|change|adjust|larger|smaller)\b.*\b(?:font|text)\b.*"
    r"|.*\b(?:font|text) size\b.*"
)


# A paywall's notice over the rest of the article ("This content is reserved for
# subscribers"): a subscription prompt, and what text.py keeps the opening above.
PAYWALL_NOTICE = (
    r"\bthis (article|story|content) is (only )?(for|available to|reserved for) (subscribers|members)\b"
)


def squashed(text: str) -> str:
    """Only the letters and digits, in lower case: "Joy the Baker" -> "joythebaker"."""
    return re.sub(r"[\W_]", "", text.casefold())


def names_site(text: str, sites, *, min_letters: int = 4) -> bool:
    """Whether text spells one of the sites' names or hosts (given squashed): "Joy the
    Baker" on joythebaker.com, "The Firearm Blog" for thefirearmblog.com."""
    letters = squashed(text)
    return len(letters) >= min_letters and any(letters in site for site in sites)


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)


SOCIAL_WORDS = frozenset(
    """share shares sharing tweet twitter facebook linkedin whatsapp email e-mail mail print
    pinterest reddit telegram messenger flipboard pocket copy link copied url save x sms
    instagram youtube tiktok threads bluesky mastodon vk send rss feed on this article story page blog
    via the to comment comments gift follow following unfollow us more options close icon social""".split()
)

MONTH_NAMES = "january|february|march|april|may|june|july|august|september|october|november|december"
MONTH_TOKENS = frozenset(
    "jan january feb february mar march apr april may jun june jul july aug august sep sept"
    " september oct october nov november dec december".split()
)
# One name in a list of tags or categories: one to four words.
TAG_ITEM = r"[^\s,.!?:|]+(?:\s+[^\s,.!?:|]+){0,3}"

LINE_RULES: tuple[LineRule, ...] = (
    LineRule(
        "notification-prompt",
        _rx(
            r"\b(stay up to date|keep up to date|get|receive|turn on|enable|allow|want)\b.{0,40}\bnotifications?\b",
            r"\bnotifications?\b.{0,40}\b(managed|browser|settings|preferences|enabled|blocked)\b",
            r"^\s*(allow|block|not now|no thanks|maybe later)\s*$",
        ),
        30,
        _words("notification notifications allow block not no maybe"),
    ),
    LineRule(
        "newsletter-prompt",
        _rx(
            r"\bnewsletters?\b",
            r"\benter (your )?e-?mail( address)?\b|\byour e-?mail address\b",
            r"\bvalid e-?mail( address)?\b",
            r"\b(straight|directly|delivered) (to|into) your inbox\b",
            r"\bby (signing up|subscribing|clicking|submitting)\b.{0,80}\b(agree|consent|accept)",
            r"^\s*(sign ?up|subscribe)( now| today| here| for free)?[.!]?\s*$",
            r"^\s*thank(s| you) for (signing up|subscribing)\b",
            r"\bunsubscribe (at any time|at anytime|anytime)\b",
            r"\b(sign up|subscribe) to receive\b|\bsign up for (free )?(e-?mail )?(updates|alerts)\b",
            # "Sign up for our emails", "Sign up for the latest in food and local deals",
            # "Sign Up for <letter> and receive a free copy of our report"
            r"^\s*sign ?up for (our|the latest)\b|^\s*sign ?up for\b.{0,60}\b(and|to) (receive|get)\b",
            r"\bif you'?re new here\b.{0,80}\bsubscribe\b",
            r"\bno spam\b",
            r"^\s*get (?:\S+ ){0,3}?(breaking|latest|daily|weekly|morning|evening|top)\b.{0,40}"
            r"\b(news|updates|alerts|headlines|e-?mail|briefing)\b.{0,80}$",
            r"\bbreaking news (e-?mails|alerts)\b",
        ),
        40,
        _words(
            "newsletter newsletters email mail inbox signing subscribing clicking submitting sign signup subscribe thank thanks"
            " unsubscribe spam get breaking new"
        ),
    ),
    LineRule(
        "donation-appeal",
        _rx(
            r"\byour (support|donation|contribution|gift)s?\b.{0,60}\b(help|allow|make|mean|keep|enable|matter|difference|fund)",
            r"\b(support|fund|funding|back)s? (our|independent|quality|local|free) (journalism|reporting|work|newsroom|journalists)\b",
            r"^\s*(donate|contribute|support us|become a (member|supporter|patron|subscriber))\b",
            r"\b(make|give) a (one-time |monthly |single )?(donation|contribution)\b",
            r"\bconsider (a|making a) donation\b",
            r"\b(reader|readers)[-' ]+(funded|supported)\b",
            r"\bclick here to support\b",
            r"^\s*support( [\w.]+){1,3} (so (that )?(we|they|it)|and make a difference|to keep|today|now)\b",
            r"\bpaywalls?\b",
            # "We do this work every day at no cost to you, but it is far from free to produce"
            r"\bat no cost to you\b.{0,40}\b(far from free|not free|costs? (us|money))",
        ),
        80,
        _words(
            "support supports donation donations contribution contributions gift gifts fund funds funding fundings back backs donate contribute become funded supported paywall paywalls"
            " cost"
        ),
    ),
    LineRule(
        "subscription-prompt",
        _rx(
            r"^\s*(subscribe|subscriber|subscription)s?\b.{0,60}$",
            r"\b(to read|read|continue reading) the (full|rest of the|whole) (story|article)\b",
            r"\b(already|become) a (subscriber|member)\b",
            PAYWALL_NOTICE,
            r"\b(start|begin) (your|a) free trial\b",
            r"\bsubscribe (now|today|for|to (continue|read|unlock|get|our))\b",
            r"\bunlimited (digital )?access\b",
            r"\b(print|home delivery|digital|online) subscribers?\b.{0,80}\baccess\b",
            r"\bactivate your (online |digital )?(access|account|subscription)\b",
        ),
        30,
        _words(
            "subscribe subscribes subscriber subscribers subscription subscriptions story article member members trial unlimited"
            " activate"
        ),
    ),
    # "Loading Slideshow": the place of a gallery whose slides a copy of the page
    # lists under the article, each a picture's caption or a story of its own.
    LineRule(
        "gallery-loader",
        _rx(r"^\s*loading (the )?(slideshow|gallery|photo gallery|photos|pictures|images)\W*$"),
        4,
        _words("loading"),
        anchored=True,
    ),
    LineRule(
        "comments-section",
        _rx(
            r"^\s*(\d+\s+)?(comments?|responses?|discussion|conversation|reader comments|join the (discussion|conversation)|leave a (comment|reply)|post a comment|add a comment|what do you think\??)(\s*\(\d+\))?\s*[:.]?\s*$",
            r"^\s*(\d+|one|no) (comments?|trackbacks?|pingbacks?)\s*$",
            r"^\s*(\d+|one|two|three) (thoughts?|responses?|comments?|replies) (on|to)\b",
            # "45 users responded in “Title”", "12 people commented on this"
            r"^\s*(\d+|one|two|three) (users?|people|readers?) (responded|commented|replied)\b",
            # "{ 53 comments… read them below or add one }", "{ 4 comments }"
            r"^\s*\{\s*(\d+|one|no) comments?\b[^}]*\}\s*$",
            # "12 Comments - Leave a comment!", "241 Comments and 16 Replies", "3 COMMENTS POSTED"
            r"^\s*(post a comment\s+)?\d+ comments?\s*([-–—:|]\s*)?(leave a comment!?|add a comment|join the discussion|posted|and \d+ replies)\s*$",
            r"^\s*(\d+\s+)?(commenti|kommentare?|comentarios?|commentaires?|comentários?|reacties|lascia un commento|deja (un|tu) comentario|laisser un commentaire|deixe (um|seu) comentário|schreibe einen kommentar)(\s*\(\d+\))?\s*[:.]?\s*$",
        ),
        12,
        _words(
            "comment comments response responses discussion conversation reply think thoughts replies"
            " commenti kommentar kommentare comentario comentarios commentaire commentaires"
            " comentário comentários reacties lascia deja laisser deixe schreibe responded commented replied"
            " trackback trackbacks pingback pingbacks"
        ),
    ),
    # "46 Comments on “Can Buyers Be Wrong?”", "16 Comments (+add yours?)": a thread's
    # count with the post's title or the form's labels, longer than the headings above.
    LineRule(
        "comments-section",
        _rx(
            r"^\s*\d+ (comments?|responses?|replies|thoughts?) (on|to)\s+\S",
            r"^\s*\d+ comments?\s*[,(]?\s*(\+?add yours\??\)?|post a comment|comment or ping)\s*$",
        ),
        40,
        _words("comment comments response responses replies thoughts"),
    ),
    LineRule(
        "comment-header",
        _rx(
            r"\b(said|says|wrote|commented|replied)\s*:\s*$",
            r"^\s*(said|says|wrote)\s*(\.\.\.|…)\s*$",  # under a commenter's name, on a line of its own
            r"^\s*\S+ reblogged this from \S+\s*$",  # a Tumblr post's notes
            r"^\s*by\s+\S.{0,60}\bwrites\s*:\s*$",  # "by ravenswood (543817) writes:"
            r"^\s*by\s+[^()]{1,60}\(\d{2,}\)\s*\*?\s*$",  # "by garaged (579941)": a user's number
            r"^\s*(reply|report|flag|like|upvote|downvote|permalink)(\s*[|·•]\s*(reply|report|flag|like|share|permalink))*\s*$",
        ),
        16,
        _words(
            "said says wrote writes by commented replied reply report flag like upvote downvote permalink"
            " reblogged"
        ),
    ),
    LineRule(
        "comment-prompt",
        _rx(
            r"^\s*(view|show|hide|load|read|see|post|add|leave|write|open|close)\s+(all\s+|more\s+)?(\d+\s+)?(comments?|replies|a reply|your comment)\b",
            r"\bjoin (our|the) (commenting forum|conversation|discussion|debate|community)\b",
            r"\b(comments?|commenting) (are|is|have been) (closed|disabled|now closed|turned off)\b",
            r"\b(conversations|replies)\b.{0,40}\breaders\b",
            r"\b(community|commenting) (guidelines|rules|standards)\b",
            r"^\s*(be the first to comment|there are no comments|no comments yet)\b",
            r"\byour comment is (now )?(awaiting moderation|in the moderation queue)\b",
            # blog engines' lines under a post: "blog comments powered by Disqus", "You can
            # follow any responses to this entry through the RSS 2.0 feed."
            r"\bcomments powered by disqus\b",
            r"\bfollow any responses to this (entry|post)\b|\btrackback from your own site\b",
            r"\brss feed for comments on this (post|entry)\b",
            r"^\s*comments feed for this (post|entry)\s*$",
            r"\btrackback[- ](url|uri)\b",
            r"\byou (may|can) use these html tags\b",
            # a blog's comment form: "Enter your comment here...", "Email (required)",
            # "You are commenting using your WordPress.com account."
            r"^\s*enter your comment here\b",
            r"\byour (reply|comment) has been submitted\b",
            r"\byou are commenting using your\b",
            r"^\s*(name|e-?mail|mail|website)\s*(\([^)]*\)\s*)*\(required\)(\s*\([^)]*\))*\s*$",
            r"\bcomments? (are|is) (owned by|the (sole )?responsibility of)\b",
        ),
        30,
        _words(
            "comment comments replies reply commenting conversation conversations discussion debate community"
            " responses trackback disqus html enter commenting name email e mail website"
        ),
    ),
    LineRule(
        "login-prompt",
        _rx(
            r"^\s*(log ?in|sign ?in|log ?out|sign ?out|register|my account|create (an |your )?account)\b.{0,40}$",
            r"\bthank(s| you) for registering\b",
            r"\b(refresh|reload) (the|this|your) (page|browser)\b",
            r"\b(to be|been|are|automatically) (logged|signed) (in|out)\b",
            r"\bforgot(ten)? (your )?password\b",
            r"\bone[- ]time (pin|password|passcode)\b|\benter (the|your) (verification |security )?code\b",
            r"\balready have an account\b",
            r"\b(log|sign) in (to|or) (continue|comment|register|create|read)\b",
            r"\b(log|sign) ?in or (sign|register) ?up to (comment|continue|read)\b",
            r"\bsave this (article|story)\b.{0,60}\b(register|registering|sign|log)\b",
            r"\bmust be (logged|signed) in to (post|comment|leave|reply|write|add|view|see|read|continue|vote)\b",
            # the same, as blogs' comment forms print it in other languages
            r"\b(devi essere connesso|debes (estar|haber) (conectado|iniciado)|vous devez (être connecté|vous connecter)|sie müssen (angemeldet|eingeloggt) sein)\b",
        ),
        30,
        _words(
            "log login logout sign signin signout register account registering refresh reload logged signed forgot forgotten password pin code"
            " connesso conectado iniciado connecté connecter angemeldet eingeloggt"
        ),
    ),
    LineRule(
        "cookie-notice",
        _rx(
            r"\bcookies?\b.{0,80}\b(accept|consent|policy|settings|preferences|experience|agree|partners)\b",
            r"\b(we|site|website|this site|our site|our website|our partners) (use|uses|store|set)s? (\w+ ){0,2}cookies\b",
            r"\bcookies (help|to (give|improve|personali[sz]e|provide|analy[sz]e)|are used)\b",
            r"\b(use|using) of cookies\b",
            r"\b(accept|reject|decline|manage) (all|cookies|consent|preferences|settings)\b",
            r"\bwe value your privacy\b",
            r"\b(manage|privacy) (consent|choices)\b",
            r"\b(utilizziamo|usiamo|utilizamos|usamos|utilisons|verwenden|nutzen|gebruiken)\b.{0,40}\bcookies?\b",
        ),
        60,
        _words("cookie cookies accept reject decline manage privacy"),
    ),
    LineRule(
        "read-more",
        _rx(
            r"^\s*(read|see|watch|listen|also|related|more|recommended|click|tap)\b[^:]{0,30}?:",
            r"^\s*(read more|read next|read also|also read|see also|more on this|more about|keep reading|continue reading|full story|related)\s*[:.»›>\-]*\s*$",
            r"^\s*(read|see|watch) (more|also|next|the full|full)\b.{0,100}$",
            r"^\s*(click|tap) here\b",
            r"^\s*also on [\w-]+\.[a-z]{2,}\b",  # "Also on rt.com <another story's headline>"
            r"^\s*(?-i:Watch Now|WATCH NOW)\s+\w",  # the button over a video's blurb
            # a video's label set into the article, over the player: "WATCH | Crowds
            # react to the news:" ("Watch | Portrait of a craftsman" heads a video post)
            r"^\s*(watch|listen)\s*\|.*:\s*$",
            r"^\s*(leggi anche|lee también|lea también|ver también|lire aussi|voir aussi|à lire aussi|lesen sie auch|mehr zum thema|leia também|veja também|lees ook)\b",
        ),
        30,
        _words(
            "read see watch listen also related more recommended click tap keep continue full"
            " leggi lee lea ver lire voir à lesen mehr leia veja lees"
        ),
        anchored=True,
    ),
    # "Will tablets win? That's the question we asked for t… Read More...": the start
    # of another page's text, cut off where its link begins.
    LineRule(
        "teaser-excerpt",
        _rx(
            r"(…|\.\.\.|\[…\]|\[\.\.\.\])\s*(read more|continue reading|more)\s*(…|\.\.\.|»|→|›|>)*\s*$",
            r"\b(read more|continue reading)\s*(…|\.\.\.|»|→|›|>)+\s*$",
        ),
        120,
        _words("read continue more"),
    ),
    LineRule(
        "related-links",
        _rx(
            r"^\s*(related|similar|recommended|popular|trending|latest|top|more|most|other|further|editor'?s|featured|suggested|around the)\b.{0,25}\b(articles?|stories|posts?|news|reads?|reading|links|content|coverage|topics|videos?|picks|headlines|web|now|today|for you)\s*[:.…!]*\s*$",
            r"^\s*(related|similar|recommended|suggested|other)\s+[a-z]{3,}s\s*[:.…!]*\s*$",
            r"^\s*(most (popular|read|viewed|shared|commented|recent)( (in|on|at) [\w&'. -]{2,30})?|you (may|might) (also )?(like|enjoy|be interested( in)?)|don'?t miss|what to read next|more from\b.{0,40}|recommended from\b.{0,30}|more in\b.{0,40}|in other news|elsewhere on\b.{0,40}|from around the web|promoted (stories|links|content)|sponsored (stories|links|content)|trending( now)?|top stories|read next|up next|next article|previous article|next story|previous story|next post|previous post)\s*[:.…!]*\s*$",
        ),
        10,
        _words(
            "related similar recommended popular trending latest top more most other further editor editors featured suggested around you don dont what in elsewhere from promoted sponsored read up next previous"
        ),
        anchored=True,
    ),
    LineRule(
        "advertisement",
        _rx(
            r"^\s*(advertisement|advertising|advert|ad|ads|sponsored( content)?|paid (post|content|partner content)|promoted( content)?|partner content)\s*([:.\-·|•]\s*(scroll|continue|story|article|content|skip)\b.*)?$",
            r"^\s*(story|article|text|content) continues (below|after)\b",
            r"^\s*(continue|keep) reading below\b",
            r"^\s*scroll (down )?to continue\b",
            r"^\s*(skip|close) (ad|advert|advertisement)\b",
            r"\badvertis(e|ing) with us\b",
            r"^\s*(this )?(advertisement|ad) (has not|hasn'?t|did not|didn'?t) loaded?\b",
            r"^\s*(advertisement|advert)\s+[\w-]*[-\d][\w-]*\s*$",  # "Advertisement embed-more-topic", "Advertisement 1"
            r"^\s*(remove|hide|report) (this )?ad\b",
            # "Don't want to see this? Remove ads", "Go ad-free"
            r"\b(remove|hide|block) (the |all )?ads\s*[.!]?\s*$|^\s*go ad-free\b",
            r"^\s*ad (policy|choices|feedback)\s*$",
        ),
        12,
        _words(
            "advertisement advertising advert ad ads sponsored paid promoted partner story article text content continue keep scroll skip close advertise this remove hide report block go"
        ),
    ),
    LineRule(
        "media-controls",
        _rx(
            r"^\s*(play|pause|replay|watch|listen|mute|unmute|enlarge|expand|fullscreen|full screen|close|open gallery|view gallery|toggle caption|hide caption|show caption)( (video|audio|image|this( image| video)?|gallery|now|caption))?\s*$",
            r"^\s*(image|photo|picture|slide|video) \d+ (of|/) \d+\s*$",
            r"^\s*\d{1,2}:\d{2}(:\d{2})?\s*$",
            r"^\s*(duration|length|running time|runtime)\s*:?\s*\d{1,2}:\d{2}(:\d{2})?\s*$",
            r"^\s*(listen to|hear) (this|the) (article|story)\b",
            r"^\s*now playing\b",
            r"^\s*(video|audio|gallery|photos?|watch|podcast|live)\s*[:|]?\s*$",
            r"\b(your (web )?browser|this browser) (is no longer supported|does not support|doesn'?t support)\b",
            r"\b(enable|turn on) javascript\b",
            r"\b(video|player) (has )?failed to load\b|\bvideo is (currently )?(unavailable|not available)\b",
            r"\b(update|upgrade|switch) (to )?(a (more )?modern|a newer|a supported|your|the latest( version of your)?) (web )?browser\b",
            r"\b(you are|you're) (on|using) (internet explorer|an? (old|older|outdated|unsupported) (web )?browser)\b",
        ),
        24,
        _words(
            "play pause replay watch listen mute unmute enlarge expand fullscreen full close open view toggle hide show image photo picture slide video hear now audio gallery photos podcast live browser javascript duration length running runtime explorer"
        ),
        ":",
    ),
    LineRule(
        "copyright-footer",
        _rx(
            r"^\s*(©|\(c\)|copyright\b|ⓒ)",
            r"\ball rights reserved\b",
            r"\bthis copy is for your personal,? non-?commercial use only\b",
            r"^\s*this (document|article|material|content|page) is subject to copyright\b",
            r"\bno part (of (this|it) )?(\w+ )?may be reproduced\b",
            # "Citation: Title (2019, November 18) retrieved 20 November 2019 from https://…"
            r"^\s*citation\s*:.{5,300}\bretrieved\b.{0,40}\bfrom\b",
            # "Inside AdWords is powered by Blogger. Start your own blog.", "Design by X for Posterous"
            r"\bpowered by (blogger|wordpress|tumblr|typepad|posterous|movable type|squarespace)\b",
            # "This work is licensed under a Creative Commons Attribution-NonCommercial 2.5 License."
            r"\blicensed under (a|the) creative commons\b",
            r"^\s*(order )?reprints?( (&|and) permissions)?\s*$",
            r"^\s*(report|submit) (an? )?(corrections?|errors?|typos?)\s*$",
            r"^\s*(theme|design|designed|site design) by\s+[^.,;!?]{1,60}$",
            r"^\s*(terms (of|and) (use|service|conditions)|privacy (policy|notice|statement|settings)|cookie (policy|settings)|contact us|about us|site ?map|accessibility|careers|advertise|help( centre| center)?|faq|imprint|impressum)(\s*(?:[|·•/]|,(?=\s*(?-i:[A-Z])))\s*.*)?$",
        ),
        60,
        _words(
            "c copyright rights terms privacy cookie contact about site sitemap accessibility careers advertise help faq imprint impressum copy"
            " reproduced citation powered theme design designed licensed order reprint reprints report submit"
        ),
        "©ⓒ",
    ),
    LineRule(
        "navigation",
        _rx(
            r"^\s*(skip to|jump to|back to|go to) (the )?(main |primary )?(content|navigation|top|menu|search|article|homepage|home)\b",
            r"^\s*(menu|search|home|homepage|navigation|toggle navigation|open menu|close menu|main menu|sections|all sections|more|top|back|next|previous|prev|submit|go|ok|loading\.*|×|✕|☰)\s*[»›>]?\s*$",
            r"^\s*(previous|prev|older)\s*[|/·•]?\s*(next|newer)\s*$",
            r"^\s*search (this|the) (site|blog)\s*$",
            # a blog's pager and its archive menu: "Newer Post Older Post Home",
            # "Next post: <title>", "Select Month October 2012 September 2012 …"
            r"^\s*(newer posts?|older posts?|home)(\s+(newer posts?|older posts?|home))+\s*$",
            r"^\s*(next|previous|prev|older|newer) (post|article|story|entry)\s*:\s*\S.{0,150}$",
            r"^\s*select (month|category)\b",
            # a blog's archive by month: "Sep 2011 (34)"
            rf"^\s*{MONTH_WORD}\.?\s+\d{{4}}\s*\(\d+\)\s*$",
            r"^\s*([\w'&.\-]+( [\w'&.\-]+){0,3}\s*[»›>|/•·]\s*){2,}[\w'&.\-]+( [\w'&.\-]+){0,3}\s*$",
        ),
        14,
        _words(
            "skip jump back go menu search home homepage navigation toggle open close main sections all more top next previous prev submit ok loading"
            " older newer select"
        )
        | MONTH_TOKENS,
        "×✕☰»›>|/•·",
        anchored=True,
    ),
    LineRule(
        "author-contact",
        # "Write to Al Root at allen.root@example.com": the writer's address under the article.
        _rx(r"^\s*(write to|email|e-mail|contact|reach) [\w .,'’&-]{2,80} (at|@|:) ?\S+@\S+\.\w+\.?\s*$"),
        24,
        _words("write email e mail contact reach"),
        anchored=True,
    ),
    # Longer prompts, each said in a way an article's sentence is not: a sign-up form's
    # terms ("By signing up, you confirm that you are over the age of 16 and agree …",
    # "I would like to be emailed about offers …", "Let our news meet your inbox"),
    # a comment section's or a letters page's rules, a forum's invitation, an offer.
    LineRule(
        "newsletter-prompt",
        _rx(
            r"^\s*by (signing up|subscribing|clicking|submitting)\b.{0,80}\b(agree|consent|accept|confirm)",
            r"\bi would like to (be emailed|receive (e-?mails|offers|updates))\b",
            r"\bspecial offers,? promotions\b",
            r"\bmeet your inbox\b|\bdelivered (every )?(weekday|daily|weekly) mornings?\b",
            r"^\s*get e-?mail updates\b",
            r"\bprotected by recaptcha\b",  # under a sign-up form
        ),
        70,
        _words("signing subscribing clicking submitting like offers inbox delivered get recaptcha"),
    ),
    LineRule(
        "login-prompt",
        _rx(r"\b(articles|stories) from across [\w ]{2,20} with one account\b"),
        20,
        _words("account"),
    ),
    LineRule(
        "comment-prompt",
        _rx(
            r"^\s*as you comment, please\b",
            r"\bplease be respectful of other commenters\b",
            r"\bletters to the editor\b.{0,120}\bhear what you think\b",
            r"^\s*join our [\w ]{1,30} forums?\b",
        ),
        80,
        _words("as please letters join"),
    ),
    LineRule(
        "subscription-prompt",
        _rx(
            r"\b\d+ issues (for|only)\b",
            r"\bfor as little as\b.{0,40}\bfor (the )?first (year|month)\b",
            r"\bclick (here )?to subscribe\s*[!.]?\s*$",  # under a video show's blurb
        ),
        60,
        _words("issues little subscribe"),
    ),
    LineRule(
        "follow-prompt",
        _rx(
            r"\bpreferred source on google\b",
            r"^\s*(email|e-mail|write to|contact) [\w .'’-]{2,60} at \S+@\S+\.\w+ or follow (him|her|them) @\w+",
        ),
        40,
        _words("preferred email e mail write contact"),
    ),
    # A page's own HTML source printed as text: a tag with its attributes
    # ('<span data-mce-type="bookmark" style="display: inline-block; …">'), escaped
    # once, twice or not at all.
    LineRule(
        "page-markup",
        _rx(
            r"^\s*(?:&(?:amp;)*lt;|<)/?[a-z][a-z0-9]*\b[^>]*?\b(?:data-[\w-]+|style|class)\s*=\s*[\"']",
            # '<SCRIPT language=… SRC="http://ad.doubleclick.net/…">': an advert's script tag
            r"^\s*(?:&(?:amp;)*lt;|<)(?:script|iframe|noscript|img|embed|object)\b[^>]*?\b[a-z-]+\s*=",
            # a blog engine's shortcode left in the text: "[button link=… type=”big”] Send us …"
            r"^\s*\[/?(?:button|caption|embed|gallery|video|audio|tweet)\b[^\]]*\]",
        ),
        400,
        _words("lt"),
        marks="<[",
    ),
    # A blog's archive menu flattened to one line: "Select Month October 2012 September 2012 …".
    LineRule(
        "archive-list",
        _rx(rf"^\s*(?:select month\s*)?(?:(?:{MONTH_NAMES})\s+\d{{4}}(?:\s*\(\d+\))?\s*){{4,}}$"),
        1000,
        MONTH_TOKENS,
    ),
    # A blog's calendar, a week a line: "M T W T F S S", "9 10 11 12 13 14 15".
    LineRule(
        "calendar",
        _rx(
            r"^\s*(?:(?:[1-9]|[12]\d|3[01])\s+){4,6}(?:[1-9]|[12]\d|3[01])\s*$",
            r"^\s*(?:[mtwfs]\s+){6}[mtwfs]\s*$",
            r"^\s*(?:(?:mon|tue|wed|thu|fri|sat|sun)\s+){6}(?:mon|tue|wed|thu|fri|sat|sun)\s*$",
        ),
        7,
        _words(" ".join(str(n) for n in range(1, 32)) + " m t w f s mon tue wed thu fri sat sun"),
        anchored=True,
    ),
    # A form's list of choices flattened to one line: "See Your Rate: - - Select One - - Alabama …".
    LineRule(
        "form-control",
        _rx(r"-\s*-\s*select (?:one|an? \w+)\s*-\s*-"),
        300,
        _words("select"),
    ),
    # "About Bob Walsh Bob Walsh is the author of …", "About the author: Ed Avis is a
    # writer …": the writer's box, its heading run on.
    LineRule(
        "author-bio",
        _rx(
            r"^\s*about ([^\W\d][\w'’.\-]+(?: [^\W\d][\w'’.\-]+){1,3}) \1\b",
            r"^\s*about the (author|writer)\s*(:|\.\.\.|…)\s*\w",
        ),
        400,
        _words("about"),
        anchored=True,
    ),
    # "This entry was written by Emily Valentine, posted on … filed under …", "This entry
    # was posted in Mobile and tagged Android. Bookmark the permalink.": the post's footer.
    LineRule(
        "entry-meta",
        _rx(r"^\s*this (?:entry|post) was (?:written|posted)\b.{0,200}\b(?:filed under|posted (?:on|in)|tagged)\b"),
        80,
        _words("this"),
        anchored=True,
    ),
    LineRule(
        "follow-prompt",
        _rx(
            r"^\s*(follow|like|find|join) (us|@?\w+( \w+)?)\b.{0,40}\bon (twitter|facebook|instagram|linkedin|x|tiktok|youtube|threads|bluesky|telegram|whatsapp)\b",
            r"\bfollow (him|her|them|me) on (twitter|facebook|instagram|linkedin|x|tiktok|threads|bluesky)\b.{0,40}$",
            r"^\W*if you (enjoyed|liked) this (article|post|story)\b.{0,60}\b(share|comment|subscrib)",
            r"^\W*like this (story|article|post)\?\s*share\b",
            # a reaction button's question: "Do you like this story?", "Did you enjoy this article?"
            r"^\W*(do you like|did you (like|enjoy)|like|enjoyed) this (story|article|post)\?\s*$",
            r"\byou should (like|follow) .{0,40}\bon (twitter|facebook|instagram)\b",
        ),
        30,
        _words("follow like find join enjoyed liked should do did"),
    ),
    LineRule(
        "affiliate-disclosure",
        _rx(
            r"^(?=.*\b(purchas\w*|products?|links?|buy\w*|sales?|retailers?|shop\w*)\b).*\b(earn|receive|get|make)s? (a |an )?(small |affiliate |share of (the )?)*commissions?\b",
            r"\baffiliate (links?|partnerships?|programs?)\b",
        ),
        50,
        _words("commission commissions affiliate"),
    ),
    LineRule(
        "tagged-link",
        re.compile(
            r"^.{10,200}?[\[(]\s*(VIDEOS?|PHOTOS?|PICS|PICTURES|GALLERY|INSIGHT|REVEAL|REACTION|LATEST|POLL|LIVE|UPDATE|WATCH|LISTEN|AUDIO|INTERVIEW|ANALYSIS|COMMENT)\s*[\])]\s*\|?\s*$"
        ),
        25,
        frozenset(),
        "[(",
    ),
    LineRule(
        "tag-list",
        _rx(
            r"^\s*(tags?|topics?|filed under|categories|category|keywords|related topics|more on)\s*:",
            # "Tagged as: fall, craft", "Categorized under: Biology."
            r"^\s*(tagged( as| with)?|categori[sz]ed (under|in|as))\s*(:|//)\s*[^!?:]{1,300}$",
            # "Filed under news, comics.", "Tagged Animation, Street Canvassing", "Posted in
            # Current Events | No Comments »": a list of names of a few words each
            rf"^\s*(tagged( as| with)?|categori[sz]ed (under|in|as)|filed under|posted in)\s+"
            rf"{TAG_ITEM}(\s*[,|]\s*{TAG_ITEM})*\s*\.?\s*$",
        ),
        40,
        _words("tags tag topics topic filed categories category keywords related more tagged categorized categorised posted"),
        anchored=True,
    ),
    LineRule(
        "page-control",
        _rx(rf"^\s*(?:{TEXT_SIZE_CONTROL})[.:!]?\s*$"),
        6,
        _words("font text"),
    ),
)


LONGEST_RULE = max(rule.max_words for rule in LINE_RULES)


def _rule_index() -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]]]:
    anywhere: dict[str, list[int]] = {}
    first: dict[str, list[int]] = {}
    for k, rule in enumerate(LINE_RULES):
        for word in rule.triggers:
            (first if rule.anchored else anywhere).setdefault(word, []).append(k)
    return (
        {w: tuple(ks) for w, ks in anywhere.items()},
        {w: tuple(ks) for w, ks in first.items()},
    )


TRIGGERED_ANYWHERE, TRIGGERED_FIRST = _rule_index()
MARKED = tuple((k, rule.marks) for k, rule in enumerate(LINE_RULES) if rule.marks)


@functools.lru_cache(maxsize=16384)
def line_rule(text: str, words: int) -> str:
    """Name of the first furniture rule text matches, else ""."""
    if words > LONGEST_RULE:
        return ""
    found = TOKEN.findall(text.casefold())
    candidates = {k for k, marks in MARKED if any(m in text for m in marks)}
    for token in set(found):
        candidates.update(TRIGGERED_ANYWHERE.get(token, ()))
    if found:
        candidates.update(TRIGGERED_FIRST.get(found[0], ()))
    for k in sorted(candidates):
        rule = LINE_RULES[k]
        if words <= rule.max_words and rule.pattern.search(text) is not None:
            return rule.name
    return ""


GLUED_LABELS = re.compile(r"(?<=[a-z!])(?=[A-Z])")


def is_share_line(text: str) -> bool:
    """A line made only of share/follow button labels ("Share Tweet Email"), also when
    a select-all copy runs them together ("Email ThisBlogThis!Share to Twitter")."""
    return _share_labels(text) or _share_labels(GLUED_LABELS.sub(" ", text))


def _share_labels(text: str) -> bool:
    words = re.findall(r"[\w\-]+", text.casefold())
    if not words or len(words) > 12:
        return False
    social = sum(1 for w in words if w in SOCIAL_WORDS)
    labels = {
        "share",
        "tweet",
        "facebook",
        "twitter",
        "linkedin",
        "whatsapp",
        "email",
        "e-mail",
        "print",
        "pinterest",
        "reddit",
        "telegram",
        "messenger",
        "flipboard",
        "pocket",
        "copy",
        "instagram",
        "youtube",
        "tiktok",
        "sms",
        "bluesky",
        "follow",
        "sharing",
    }
    return social == len(words) and any(w in labels for w in words)


CREDIT_WORDS = (
    r"ap|afp|reuters|getty|images?|photos?|photograph(er)?|pictures?|epa|pa|aap|supplied|file|"
    r"shutterstock|alamy|credit|courtesy|handout|istock|bloomberg|xinhua|anadolu|sipa|rex|"
    r"wikimedia|unsplash|pool|via|staff|illustration|screenshot|screengrab|video"
)
CAPTION_CREDIT = re.compile(
    rf"\s*[(\[](?P<credit>[^()\[\]]{{0,80}}?\b({CREDIT_WORDS})\b[^()\[\]]{{0,80}})[)\]]\s*$",
    re.IGNORECASE,
)
CAPTION_CREDIT_SUFFIX = re.compile(
    r"\s*[|.]?\s*(?P<credit>(?:\b|(?-i:(?<=[a-z])(?=[A-Z])))(photo|image|picture|credit|photograph|source|foto|bild|illustration)s?( by| credit)?\s*[:©]\s*.{2,80}|©\s*.{2,80})$",
    re.IGNORECASE,
)
CREDIT_LINE = re.compile(
    rf"^\s*[(\[]?\s*((photo|image|picture|credit|photograph|illustration|video)s?( by| credit| courtesy of)?\s*[:©]?\s*.{{2,60}}|©\s*.{{2,60}}|({CREDIT_WORDS})(\s*[/|,]\s*[\w .\-]+)*)\s*[)\]]?\s*$",
    re.IGNORECASE,
)


# "Whose store drew the bigger crowd? (Photos)": a teaser's label for what it links
# to, which names no one who made the picture.
MEDIA_LABEL = re.compile(r"(photos?|pictures?|images?|videos?|gallery|slideshow|watch)", re.IGNORECASE)


def split_credit(text: str) -> tuple[str, str]:
    """(caption, credit) when text ends with a photo credit, else (text, "")."""
    tail = text.rstrip()[-1:]
    if tail not in (")", "]") and ":" not in text and "©" not in text:
        return text, ""
    for pattern in (CAPTION_CREDIT, CAPTION_CREDIT_SUFFIX):
        m = pattern.search(text)
        if m and m.start() > 0:
            credit = m.group("credit").strip()
            if _mixed_case_acronym(credit) or MEDIA_LABEL.fullmatch(credit):
                continue
            return text[: m.start()].rstrip(), credit
    return text, ""


def _mixed_case_acronym(credit: str) -> bool:
    """ "(ePA)", "(Pa)": an abbreviation the sentence defines, not an agency credit,
    which is written in capitals ("AP", "EPA") or as a name ("Reuters")."""
    if " " in credit or len(credit) > 4 or not credit.isalpha():
        return False
    return not credit.isupper() and not (
        credit[0].isupper() and credit[1:].islower() and len(credit) > 3
    )


ARTICLE_CREDIT = re.compile(
    r"^\s*[(\[]?\s*(additional )?(reporting|writing|editing|research|contributed|contributing|compiled|translated|translation|produced)\b.{0,40}\b(by|to|from)\b",
    re.IGNORECASE,
)

BYLINE_PREFIX = re.compile(
    r"^\s*(by|written by|words by|story by|report by|reporting by|(?:analysis|opinion|commentary|review) by|author|authors|von|por|par|di|door|af|av)\s*[:\-–]?\s+(?P<names>\S.*)$",
    re.IGNORECASE,
)


Predicate = Callable[[str], bool]
