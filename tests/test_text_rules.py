from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path

import pytest

from reader.importing.text import extract_text, paragraph_fingerprint
from reader.importing.text_rules import line_rule, split_credit
from reader.importing.types import BODY, CAPTION, CHROME, ImportFailed

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
SEED = SAMPLES / "000_cec687c1fc65c03c.txt"
SEED_EXPECTED = SAMPLES / "000_cec687c1fc65c03c.expected.json"

BODY_TEXT = (
    "The minister said on Tuesday that the talks would go ahead as planned, despite the "
    "objections raised by several delegations over the weekend.\n\n"
    "Officials from both sides met for three hours in Geneva and agreed to continue the "
    "discussions next week, according to a statement released after the meeting.\n\n"
    "Critics of the agreement argue that it leaves too many questions open and that the "
    "deadline set by the negotiators is unrealistic.\n\n"
    "The next round is expected to focus on humanitarian access and the exchange of "
    "prisoners, two issues that have stalled previous efforts.\n\n"
)


def _text(segment) -> str:
    return html.unescape(segment.html)


def _kept(result) -> list[str]:
    return [_text(s) for s in result.segments if s.kept]


def _role_of(result, text: str) -> tuple[str, str]:
    for s in result.segments:
        if _text(s) == text:
            return s.role, s.rule
    raise AssertionError(f"no segment {text!r}")


def _page(*extra: str, tail: str = "") -> str:
    head = "Negotiators agree to resume talks next week\n\nBy Jane Reporter\n12 March 2024\n\n"
    return head + "\n\n".join(extra) + "\n\n" + BODY_TEXT + tail


@pytest.fixture(scope="module")
def seed():
    return extract_text(SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def expected():
    return json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))


def test_seed_metadata_matches_expected(seed, expected):
    assert seed.title == expected["title"]
    assert seed.subtitle == expected["subtitle"]
    assert seed.byline == expected["byline"]
    assert seed.published == dt.datetime.fromisoformat(expected["published"])
    assert seed.published.tzinfo is not None
    assert seed.source_name == expected["source_name"]
    assert seed.extractor == "text-rules"


def test_seed_body_is_the_thirteen_paragraphs_in_order(seed, expected):
    body = [_text(s) for s in seed.segments if s.role == BODY]
    assert body == expected["body_paragraphs"]
    assert all(s.kind == "p" for s in seed.segments if s.role == BODY)


def test_seed_caption_is_kept_once_and_its_credited_copy_dropped(seed, expected):
    captions = [s for s in seed.segments if s.role == CAPTION]
    assert [_text(s) for s in captions] == [expected["image_caption"]]
    assert captions[0].kind == "figcaption"
    credited = [s for s in seed.segments if expected["image_credit"] in _text(s)]
    assert [(s.role, s.rule) for s in credited] == [(CHROME, "duplicate-caption")]


def test_seed_chrome_lines_are_dropped_with_a_rule_each(seed, expected):
    kept = "\n".join(_kept(seed))
    chrome = [s for s in seed.segments if s.role == CHROME]
    chrome_texts = [_text(s) for s in chrome]
    for raw in expected["removed_as_boilerplate"]:
        line = " ".join(raw.split())
        assert line not in _kept(seed)
        if len(line) > 20:
            assert line not in kept
        assert line in chrome_texts
    assert all(s.rule for s in chrome)


def test_seed_segments_cover_every_line_in_order(seed):
    lines = [" ".join(line.split()) for line in SEED.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    assert [_text(s) for s in seed.segments] == lines
    assert all(s.rule for s in seed.segments if s.role != BODY)


def _with_inserted(line: str) -> str:
    paragraphs = BODY_TEXT.strip().split("\n\n")
    paragraphs.insert(2, line)
    return (
        "Negotiators agree to resume talks next week\n\nBy Jane Reporter\n12 March 2024\n\n"
        + "\n\n".join(paragraphs)
    )


FURNITURE = [
    ("notification-prompt", "Stay up to date with notifications from The Daily Example"),
    ("newsletter-prompt", "Sign up for our free morning newsletter"),
    ("donation-appeal", "Your support helps us keep our journalism free for everyone."),
    ("subscription-prompt", "Already a subscriber? Log in to continue."),
    ("comment-prompt", "Join our commenting forum"),
    ("login-prompt", "Please refresh the page or navigate to another page to be logged in"),
    ("cookie-notice", "We use cookies to improve your experience on our site."),
    ("read-more", "READ MORE: Ceasefire holds for a second day in the north"),
    ("related-links", "Most popular stories"),
    ("advertisement", "Advertisement"),
    ("media-controls", "Image 3 of 12"),
    ("copyright-footer", "© 2024 Example Media Group. All rights reserved."),
    ("navigation", "Home › World › Middle East"),
    ("tag-list", "Topics: Syria, Geneva, Diplomacy"),
    ("share-social", "Share Tweet Email"),
    ("share-social", "Social Sharing"),
    ("read-more", "WATCH | Crowds line the harbour wall for the regatta:"),
    ("related-links", "You may also like..."),
    ("related-links", "Trending"),
    ("read-more", "Leggi anche: la tregua regge per il secondo giorno"),
    ("cookie-notice", "Utilizziamo i cookie per offrirti la migliore esperienza sul nostro sito."),
    ("timestamp", "Updated Nov 19, 9:41 AM; Posted Nov 18, 8:19 PM"),
    ("newsletter-prompt", "No spam, we promise. You can unsubscribe at any time."),
    ("follow-prompt", "Follow Example News on Facebook, Twitter and Instagram."),
    ("affiliate-disclosure", "We may earn a commission from links on this page."),
    ("affiliate-disclosure", "If you buy through our links we may receive a small commission."),
    ("tagged-link", "Envoy walks out of the talks in Geneva [VIDEO]"),
    ("media-controls", "Duration 2:45"),
    (
        "media-controls",
        "We've detected you are on Internet Explorer. For the best experience, please "
        "update to a modern browser.",
    ),
    ("page-control", "Text size"),
    ("donation-appeal", "Do you rely on our reporting? Click here to support it."),
    ("donation-appeal", "Support Example News so we can keep reporting from Geneva."),
    ("author-contact", "Write to Jane Reporter at jane.reporter@example.com"),
    (
        "copyright-footer",
        "This copy is for your personal, non-commercial use only. To order copies for "
        "distribution to your colleagues, visit our reprints page.",
    ),
    ("comment-prompt", "The following comments are owned by whoever posted them."),
    ("advertisement", "This advertisement has not loaded yet."),
    ("advertisement", "Advertisement embed-more-topic"),
    ("advertisement", "Remove this ad"),
    ("advertisement", "Don't want to see this? Remove ads"),
    ("navigation", "previous next"),
    ("navigation", "Search this site"),
    ("copyright-footer", "Riverside Notes is powered by Blogger. Start your own blog."),
    ("copyright-footer", "Design by Example Studio for Posterous"),
    ("follow-prompt", "Follow @rivergazette on Twitter, and Like the Gazette on Facebook."),
    (
        "follow-prompt",
        "If you enjoyed this post, please consider leaving a comment or subscribing to the "
        "RSS feed to have future articles delivered to your feed reader.",
    ),
    ("donation-appeal", "Consider a donation if you like what you see here!"),
    (
        "copyright-footer",
        "This work is licensed under a Creative Commons Attribution-NonCommercial-ShareAlike "
        "2.5 License.",
    ),
    ("comment-prompt", 'You may use these HTML tags and attributes: <a href="" title=""> <b>'),
    ("login-prompt", "Please log in or sign up to comment."),
    ("copyright-footer", "Reprints & Permissions"),
    ("share-social", "Follow Following Unfollow"),
    ("navigation", "Newer Post Older Post Home"),
    ("navigation", "Next post: Envoys resume talks in Geneva"),
    ("navigation", "Select Month October 2012 September 2012 August 2012"),
    ("comment-prompt", "Enter your comment here..."),
    ("comment-prompt", "comments feed for this post"),
    ("related-links", "Most Read on The Harbour Journal"),
    ("copyright-footer", "Report Corrections"),
    ("calendar", "9 10 11 12 13 14 15"),
    ("calendar", "M T W T F S S"),
    ("comment-prompt", "Trackback-URL"),
    ("comment-prompt", "Email (required) (Address never made public)"),
    (
        "comment-prompt",
        "You are commenting using your WordPress.com account. ( Log Out / Change )",
    ),
    ("comment-header", "riverside_notes reblogged this from valleygazette"),
    (
        "comment-prompt",
        "Thank you. Your reply has been submitted and will appear on the messageboard shortly.",
    ),
    (
        "newsletter-prompt",
        "If you're new here, you may want to subscribe to this blog via e-mail or my RSS feed.",
    ),
    ("follow-prompt", "You should like Riverside Notes on Facebook here."),
    ("navigation", "Sep 2011 (34)"),
    ("comment-prompt", "Post a comment or leave a trackback: Trackback URL."),
    (
        "newsletter-prompt",
        "Was this article useful? Please sign up to receive our content via e-mail:",
    ),
    ("newsletter-prompt", "You will receive only the daily updates, and can unsubscribe at anytime."),
    ("follow-prompt", "♥If you enjoyed this article, please share it on:"),
    ("comment-prompt", "blog comments powered by Disqus"),
    (
        "comment-prompt",
        "You can follow any responses to this entry through the RSS 2.0 feed. You can leave "
        "a response, or trackback from your own site.",
    ),
    ("login-prompt", "Please check your email and enter your one time pin below:"),
    (
        "login-prompt",
        "You can save this article by registering for free here. Or sign-in if you have an account.",
    ),
    ("login-prompt", "You must be logged in to post a comment."),
    ("login-prompt", "Devi essere connesso per inviare un commento."),
    ("newsletter-prompt", "There was an error, please provide a valid email address."),
    ("subscription-prompt", "Need more space? Subscribe to our sister title for the latest."),
    ("media-controls", "We apologize, but this video has failed to load."),
    ("tag-list", "Tagged as: ceasefire, Geneva talks, Mt. Hermon, envoys"),
    ("tag-list", "Filed under news, the Geneva talks."),
    ("tag-list", "Posted in Diplomacy, Middle East | 4 Comments »"),
    ("tag-list", "Categorized under: Diplomacy, Syria."),
    (
        "comment-prompt",
        "Your comment is now in the moderation queue and should appear shortly. Thank you.",
    ),
    (
        "copyright-footer",
        "This document is subject to copyright. Apart from any fair dealing for the purpose "
        "of private study or research, no part may be reproduced without permission.",
    ),
    (
        "copyright-footer",
        "Citation: Envoys resume talks in Geneva (2019, November 18) retrieved 20 November "
        "2019 from https://example.org/news/2019-11-envoys.html",
    ),
    (
        "teaser-excerpt",
        "Will the envoys agree on a ceasefire? That is the question we put to three "
        "former negotiators this wee… Read More...",
    ),
    # a sign-up form's terms, a comment section's rules, a forum's invitation, an offer
    (
        "newsletter-prompt",
        "By signing up, you confirm that you are over the age of 18 and agree to receive "
        "occasional offers from the Harbour Journal and its partners. You may unsubscribe at "
        "any moment from the link at the foot of every message we send you.",
    ),
    (
        "newsletter-prompt",
        "I would like to be emailed about offers, events and updates from the Harbour Journal.",
    ),
    (
        "newsletter-prompt",
        "Our readers' club members are treated to special offers, promotions and adverts "
        "from us and our partners.",
    ),
    (
        "comment-prompt",
        "As you comment, please be respectful of other commenters and other viewpoints. We "
        "remove comments that are abusive, off topic or that repeat themselves.",
    ),
    (
        "comment-prompt",
        "The Journal publishes a wide range of letters to the editor. We would like to hear "
        "what you think about this or any of our articles.",
    ),
    (
        "comment-prompt",
        "Join our Sailing Forums to keep talking boats, tides and weather with other readers!",
    ),
    (
        "subscription-prompt",
        "Get Harbour Monthly delivered to your door every month. 12 issues for £20.",
    ),
    (
        "subscription-prompt",
        "Get access to the fastest growing tide tables service for as little as £9 for the "
        "first year.",
    ),
    ("follow-prompt", "Add the Harbour Journal as a Preferred Source on Google to see more."),
    (
        "donation-appeal",
        "We report on the harbour every day at no cost to you, but it is far from free to do, "
        "and we cannot keep it up on our own.",
    ),
    (
        "page-markup",
        '&amp;lt;span data-editor-mark="caret" style="display: none;" class="caret-start"'
        "&amp;gt;&amp;lt;/span&amp;gt;",
    ),
    ("page-markup", '<div class="share-tools" data-share="harbour">'),
    ("related-links", "Most read in Sailing"),
    ("related-links", "Recommended from Editorial"),
    ("login-prompt", "Access stories from across the coast with one account"),
    (
        "archive-list",
        "Select Month "
        + " ".join(f"{m} {y}" for y in (2013, 2012, 2011) for m in ("December", "October", "June")),
    ),
    ("form-control", "Find your ferry: - - Select One - - Anglesey Arran Barra Bute Coll Colonsay"),
    (
        "author-bio",
        "About Jane Tidewell Jane Tidewell is the author of The Harbour Book and writes about "
        "ferries, tides and the people who work the quays.",
    ),
    (
        "entry-meta",
        "This entry was written by Jane Tidewell, posted on at 9:00 am, filed under Harbours "
        "and tagged ferries, tides.",
    ),
    (
        "entry-meta",
        "This entry was posted on Saturday, August 25th, 2012 at 12:23 am and is filed under "
        "Harbours, Ferries, Tides. You can follow any responses to this entry through the RSS "
        "2.0 feed. You can leave a response, or trackback from your own site.",
    ),
    (
        "entry-meta",
        "This entry was posted in Harbours and tagged ferries, tides by Jane Tidewell. "
        "Bookmark the permalink.",
    ),
    (
        "author-bio",
        "About the author: Jane Tidewell is a writer and editor in Portree. She writes about "
        "ferries, tides and the people who work the quays.",
    ),
    (
        "page-markup",
        "<SCRIPT language='JavaScript1.1' SRC=\"https://ads.harbour.example/adj/970x66\">",
    ),
    ("read-more", "Also on harbour.example Ferry fares rise again as the operator blames fuel"),
    ("follow-prompt", "Like this story? Share it with a friend!"),
    ("follow-prompt", "Do you like this story?"),
    ("follow-prompt", "Did you enjoy this article?"),
    (
        "newsletter-prompt",
        "Let our news meet your inbox. The stories that matter, delivered weekday mornings.",
    ),
    ("newsletter-prompt", "This site is protected by reCAPTCHA and the Privacy Policy applies."),
    ("newsletter-prompt", "Get email updates from your favourite writers"),
    ("newsletter-prompt", "SIGN UP FOR OUR EMAILS"),
    ("newsletter-prompt", "Sign up for the latest in sailing, food and local deals on the coast."),
    (
        "newsletter-prompt",
        "Sign Up for Harbour Confidential and receive a free copy of our tide report.",
    ),
    ("timestamp", "Last updated 6 hours ago"),
    (
        "subscription-prompt",
        "Each week our host walks one stretch of the coast path with a guest. Click to subscribe!",
    ),
    ("read-more", "Watch Now The lifeboat crew rehearse a night rescue off the point."),
    (
        "page-markup",
        '[button link="https://harbour.example/submit/" type="big"] Send us your photos[/button]',
    ),
    (
        "follow-prompt",
        "Email Jane Tidewell at jtidewell@harbour.example or follow her @janetide. Follow us "
        "on Twitter and on Facebook.",
    ),
]

NEAR_MISSES = [
    # a footer link's words that a sentence goes on from
    "Help center, or check it out from the settings page, where the new account "
    "migration tool now lives.",
    "The envoy said he would follow the talks on television and that he expected no "
    "breakthrough before the end of the week.",
    "Critics said the sales agents had earned a commission on every contract they signed "
    "with the ministry over the past ten years.",
    "We will get the commission's report on Friday and make it public once we have read it.",
    "The minister told reporters that he would not take questions or comments until the "
    "agreement had been signed by every delegation.",
    "Several delegates said they had received notifications from their capitals late on "
    "Monday asking them to delay the vote by a day.",
    "Aid groups asked donors for their support, saying the money raised last year had "
    "already run out and that the winter would be hard.",
    "A spokesman said the government would read more of the report before deciding whether "
    "to respond to the accusations in public.",
    "Officials said the talks had been held behind closed doors, and that no cookies or "
    "coffee were served during the nine-hour session.",
    "Asked whether he would sign up to the new rules, the envoy said he would share the "
    "text with his colleagues first.",
    "Support for the talks and for the envoy's plan has grown in both capitals since the "
    "summer, according to a poll.",
    "Write to the ministry before Friday if you want your objection to be read, the "
    "council told residents.",
    "The text size of the agreement was cut in half after the lawyers removed the annexes "
    "on Monday.",
    "Put the pies on a cookie sheet and use foil to cover the edges so that they do not "
    "burn, the baker said.",
    "A template for your email went out on the second day, and the replies came in by the "
    "hundred before noon.",
    "This ad helped the campaign raise more money in a week than in the whole of the "
    "previous month, its treasurer said.",
    "The court said a code has been sent to every voter so that the ballots can be "
    "checked later this month.",
    "The court said the photographs were subject to copyright and that the agency had "
    "to be asked before they were printed again.",
    "Delegates said they would read more of the draft before Friday, and continue "
    "reading it over the weekend if they had to.",
    "The envoy said his delegation must be signed in at the gate by nine, and that the "
    "talks would begin an hour later.",
    "The video of the meeting failed to reach the ministry until Monday, when officials "
    "finally watched it in full.",
    "Tagged as a traitor by the press, the envoy left the country within a week.",
    "Posted in 1944, the letter reached the ministry only after the war had ended.",
    "Filed under a false name, the report was not found again until the archive was "
    "opened to historians last year.",
    "The council promised to remove ads from the city's buses before the election, and "
    "said it would not sell the space again.",
    "May 2012 (3) was the last entry in the ledger before the office closed for the summer.",
    "Next post: the envoys said they would write to each other before the talks resumed.",
    "Design by committee, the critics said, was what sank the plan for the new bridge.",
    "The minister said the valley's grid would be powered by wind and sun by the end of "
    "the decade.",
    # what the longer prompts say, in an article's sentences
    "By signing the treaty, the ministers agreed to share the river's water for ten years.",
    "As you comment on the plans, the council said, keep in mind that the budget is fixed.",
    "I would like to see the ferry run on Sundays too, one commuter told the meeting.",
    "Join our correspondent as she walks the length of the old canal in a single day.",
    "<b>Update:</b> the ferry now runs on Sundays as well as on weekdays, the operator said.",
    "Most read in the archive was the 1953 flood report, the librarian told the meeting.",
    "Also on the agenda is the harbour wall, which the storm damaged in the spring.",
    "Watch now as the tide turns, the harbour master said, because the channel shifts fast.",
    "The ferry ran in March 2012, May 2012, June 2012 and July 2012 before the storm.",
    "About Jane Tidewell little is known, except that she kept the harbour log for years.",
    "This entry was written by hand in the ship's log, the curator said, in blue ink.",
    "This entry was posted to the ministry in 1944, the curator said, and never answered.",
    "About the author of the report, little was said at the hearing on Monday.",
    "Sign up for the race closed on Friday, and two hundred crews had entered by then.",
    "The comments feed for this post was switched off after the spam, the editor wrote.",
    "9 10 11 12 13 14 15 16 17",
    "Most read on Sundays were the ferry timetables, the librarian told the meeting.",
    "Report corrections to the harbour office by Friday, the notice on the quay said.",
    "Do you like this story of the harbour? the keeper asked the children on the quay.",
]


@pytest.mark.parametrize(("rule", "line"), FURNITURE, ids=[rule for rule, _ in FURNITURE])
def test_furniture_line_is_dropped_by_its_rule(rule, line):
    result = extract_text(_with_inserted(line))
    assert _role_of(result, line) == (CHROME, rule)
    assert len([s for s in result.segments if s.role == BODY]) == 4


@pytest.mark.parametrize("sentence", NEAR_MISSES)
def test_body_sentence_mentioning_furniture_words_is_kept(sentence):
    result = extract_text(_with_inserted(sentence))
    assert _role_of(result, sentence)[0] == BODY


def test_a_video_posts_headline_labelled_watch_is_no_video_label():
    """"WATCH | …:" over a player set into an article is its label; "Watch | …" with
    no colon heads a video post."""
    assert line_rule("Watch | Portrait of a saddler at work", 7) == ""


def test_caption_repeated_with_credit_is_kept_once():
    caption = "Delegates arrive at the conference centre in Geneva on Tuesday morning."
    page = _with_inserted(f"{caption}\n{caption} (Jean Dupont/AFP via Getty Images)")
    result = extract_text(page)
    assert _role_of(result, caption) == (CAPTION, "caption-with-credited-copy")
    credited = f"{caption} (Jean Dupont/AFP via Getty Images)"
    assert _role_of(result, credited) == (CHROME, "duplicate-caption")


def test_sentence_with_a_parenthesis_is_not_a_caption():
    sentence = (
        "The agreement was signed by the foreign ministers of both countries (and witnessed "
        "by the envoy) after a long night of talks."
    )
    assert _role_of(extract_text(_with_inserted(sentence)), sentence)[0] == BODY


def test_appeal_block_takes_its_sentences_with_it():
    block = (
        "Support independent journalism\n\n"
        "We are on the ground wherever the story is, because we believe people deserve the facts.\n\n"
        "Your donation helps us to keep sending reporters to cover both sides of the story."
    )
    result = extract_text(_with_inserted(block))
    middle = (
        "We are on the ground wherever the story is, because we believe people deserve the facts."
    )
    assert _role_of(result, middle) == (CHROME, "donation-appeal")


@pytest.mark.parametrize(
    "heading",
    [
        "Comments (12)",
        "Lascia un commento",
        "Kommentare",
        "16 Comments (+add yours?)",
        "One Comment",
        "46 Comments on “Will the envoys agree on a ceasefire before the winter?”",
    ],
)
def test_comments_heading_ends_the_article_once_it_has_begun(heading):
    tail = (
        f"\n\n{heading}\n\nThis is a reader's long reply that nobody asked for, written at night."
    )
    result = extract_text(_page() + tail)
    assert _role_of(result, heading) == (CHROME, "comments-section")
    assert not any("nobody asked" in text for text in _kept(result))


def test_comment_thread_after_the_article_is_dropped():
    thread = (
        "\n\nComments\n\nAlex on March 12, 2024 at 4:47 pm said:\n\n"
        "I think the talks will fail again because nobody trusts the other side at all anymore.\n\n"
        "Sam on March 13, 2024 at 9:10 am said:\n\n"
        "That is far too pessimistic; the last round made real progress on access for aid groups."
    )
    result = extract_text(_page() + thread)
    kept = " ".join(_kept(result))
    assert "pessimistic" not in kept and "nobody trusts" not in kept
    assert "humanitarian access" in kept


def test_paragraph_recurring_in_the_source_is_dropped():
    boiler = (
        "This article was produced with the support of the Example Foundation for press freedom."
    )
    page = _with_inserted(boiler)
    seen = {paragraph_fingerprint(boiler)}
    result = extract_text(page, recurring=lambda text: paragraph_fingerprint(text) in seen)
    assert _role_of(result, boiler) == (CHROME, "recurring-in-source")
    assert len([s for s in result.segments if s.role == BODY]) == 4


def test_fingerprint_ignores_case_and_spacing():
    assert paragraph_fingerprint("Read  more\tHERE ") == paragraph_fingerprint("read more here")
    assert paragraph_fingerprint("read more here") != paragraph_fingerprint("read less here")


def test_subheading_inside_the_article_is_kept_as_h2():
    paragraphs = BODY_TEXT.strip().split("\n\n")
    paragraphs.insert(2, "What comes next")
    page = "Negotiators agree\n\nBy Jane Reporter\n12 March 2024\n\n" + "\n\n".join(paragraphs)
    segment = next(s for s in extract_text(page).segments if _text(s) == "What comes next")
    assert (segment.role, segment.kind) == (BODY, "h2")


def test_byline_and_date_with_timezone_are_read():
    page = (
        "Talks resume\n\nBy Jane Reporter and John Writer\nMarch 12, 2024 10:15 AM EDT\n\n"
        + BODY_TEXT
    )
    result = extract_text(page)
    assert result.byline == "Jane Reporter and John Writer"
    assert result.published == dt.datetime(2024, 3, 12, 14, 15, tzinfo=dt.UTC)
    assert result.title == "Talks resume"


def test_source_name_falls_back_to_the_url_domain():
    result = extract_text(_page(), source_url="https://www.example-news.org/world/talks")
    assert result.source_name == "example-news.org"
    assert result.source_url == "https://www.example-news.org/world/talks"


def test_windows_line_endings_and_astral_characters_survive():
    page = _page(
        "The delegates 🤝 shook hands in the hall before the vote, smiling for the cameras 𝄞."
    )
    result = extract_text(page.replace("\n", "\r\n"))
    kept = _kept(result)
    assert (
        "The delegates 🤝 shook hands in the hall before the vote, smiling for the cameras 𝄞."
        in kept
    )
    assert not any("\r" in s.html for s in result.segments)


def test_html_special_characters_are_escaped_and_spaces_collapsed():
    page = _page("Officials said   the <b>deal</b> was good for A & B, both sides agreed on it.")
    segment = next(s for s in extract_text(page).segments if "deal" in s.html)
    assert (
        segment.html
        == "Officials said the &lt;b&gt;deal&lt;/b&gt; was good for A &amp; B, both sides agreed on it."
    )


@pytest.mark.parametrize("text", ["", "   \n\t\r\n  ", "\u200b\n"])
def test_empty_input_fails_with_a_message(text):
    with pytest.raises(ImportFailed, match="empty|no words"):
        extract_text(text)


TEASER_LIST = "\n\n".join(
    [
        "More Stories",
        "Weather",
        "Sports",
        "Local Radar",
        "School Closings",
        "Mayor Opens New Bridge Over The River (Photos)",
        "Traffic",
        "Contact",
    ]
)


def test_headline_with_a_photos_tag_far_from_the_article_is_not_a_caption():
    result = extract_text(_page(tail="\n\n" + TEASER_LIST))
    line = "Mayor Opens New Bridge Over The River (Photos)"
    assert _role_of(result, line)[0] == CHROME
    assert line not in _kept(result)


def test_caption_far_below_the_article_is_dropped():
    caption = "A man walks past the new bridge on Monday morning. (Photo: Jane Doe/Example)"
    tail = "\n\n" + TEASER_LIST + "\n\n" + caption + "\n\nAbout us"
    result = extract_text(_page(tail=tail))
    assert _role_of(result, caption) == (CHROME, "caption-outside-article")


def test_a_gallery_of_captioned_pictures_under_the_article_is_dropped():
    """One caption inside the article is its figure; three or more after its last
    paragraph are the page's gallery."""
    paragraphs = BODY_TEXT.strip().split("\n\n")
    figure = "A man walks past the new bridge on Monday morning. (Photo: Jane Doe/Example)"
    gallery = [
        f"Crowds gather on the {side} bank for the opening on Monday. (Photo: Jane Doe/Example)"
        for side in ("north", "south", "east", "west")
    ]
    page = (
        "Negotiators agree to resume talks next week\n\nBy Jane Reporter\n12 March 2024\n\n"
        + "\n\n".join(paragraphs[:2] + [figure] + paragraphs[2:] + gallery)
        + "\n\nAbout us"
    )
    result = extract_text(page)
    assert _role_of(result, figure)[0] == CAPTION
    assert all(_role_of(result, line) == (CHROME, "photo-gallery") for line in gallery)


def test_quoted_post_signature_stays_in_the_article():
    paragraphs = BODY_TEXT.strip().split("\n\n")
    post = "This is the best news I have heard all week, finally some progress"
    signature = "— Jane Doe (@janedoe) March 12, 2024"
    page = (
        "Negotiators agree to resume talks next week\n\nBy Jane Reporter\n12 March 2024\n\n"
        + "\n\n".join(paragraphs[:2] + [post, signature] + paragraphs[2:])
    )
    kept = _kept(extract_text(page))
    assert signature in kept
    assert kept[-1] == paragraphs[-1]


def test_reporting_credit_signs_the_article_off():
    tail = (
        "\n\nReporting by Jane Reporter; Editing by John Editor\n\n"
        "Our Standards: The Example Trust Principles.\n\n"
        "Markets fell sharply on Tuesday as investors weighed the latest figures on inflation "
        "and the prospect of higher interest rates for longer than expected.\n\n"
        "Oil prices rose for a third day after producers agreed to extend their output cuts "
        "into the next quarter, traders said on Wednesday morning."
    )
    kept = _kept(extract_text(_page(tail=tail)))
    assert kept[-1] == "Reporting by Jane Reporter; Editing by John Editor"


GLUED_TEASERS = "\n\n".join(
    [
        "Latest Headlines",
        "Police Arrest Two After Downtown Shop Fire A man and a woman were arrested on "
        "Monday in connection with a fire that destroyed a shop in the city centre last week.",
        "Council Votes To Close Riverside Library Early The city council voted on Tuesday "
        "to shorten the opening hours of the riverside library to save money this winter.",
        "Local",
        "School Bus Driver Honoured For Quick Thinking A school bus driver was honoured by "
        "the district after she stopped her bus safely when a tyre burst on the highway.",
        "Zoo Welcomes Rare Snow Leopard Cubs Two snow leopard cubs were born at the zoo last "
        "month, and keepers say both are healthy and growing quickly in their new enclosure.",
    ]
)


def test_list_of_headlines_glued_to_their_summaries_does_not_outweigh_the_article():
    result = extract_text(GLUED_TEASERS + "\n\n" + _page())
    kept = " ".join(_kept(result))
    assert "snow leopard" not in kept and "riverside library" not in kept
    assert "humanitarian access" in kept


def test_dateline_is_not_a_glued_headline():
    paragraphs = [
        "HANOI, Vietnam (AP) — The defence minister on Wednesday accused his neighbour of "
        "using coercion and intimidation against smaller countries in the region.",
        *BODY_TEXT.strip().split("\n\n"),
    ]
    result = extract_text(GLUED_TEASERS + "\n\n" + "\n\n".join(paragraphs))
    assert paragraphs[0] in _kept(result)


@pytest.mark.parametrize(
    "line",
    [
        "Jane Reporter · Example News · Posted: Mar 12, 2024 4:00 AM EDT",
        "Jane Reporter 7 hours ago",
    ],
)
def test_name_opening_a_timestamp_line_is_the_byline(line):
    page = "Negotiators agree to resume talks next week\n\n" + line + "\n\n" + BODY_TEXT
    result = extract_text(page)
    assert result.byline == "Jane Reporter"
    assert line not in _kept(result)


@pytest.mark.parametrize(
    ("line", "when"),
    [
        ("Von Jane Reporter publiziert am 30. Juli 2018", dt.datetime(2018, 7, 30, tzinfo=dt.UTC)),
        ("Von Jane Reporter veröffentlicht am 3. März 2020", dt.datetime(2020, 3, 3, tzinfo=dt.UTC)),
        ("Por Jane Reporter publicado el 12 March 2024", dt.datetime(2024, 3, 12, tzinfo=dt.UTC)),
    ],
)
def test_a_byline_ends_where_it_says_published_in_its_own_language(line, when):
    page = "Negotiators agree to resume talks next week\n\n" + line + "\n\n" + BODY_TEXT
    result = extract_text(page)
    assert (result.byline, result.published) == ("Jane Reporter", when)


@pytest.mark.parametrize(
    "line",
    ["Analysis by Jane Reporter, CNN Editor-at-large", "By Jane Reporter, Senior Staff Writer"],
)
def test_a_byline_names_the_writer_without_the_post(line):
    page = "Negotiators agree to resume talks next week\n\n" + line + "\n\n" + BODY_TEXT
    result = extract_text(page)
    assert result.byline == "Jane Reporter"
    assert line not in _kept(result)


def test_byline_below_two_standfirst_lines_is_read():
    page = (
        "Negotiators agree to resume talks next week\n\n"
        "The minister's decision came after a long night of talks in the Swiss city of Geneva.\n\n"
        "Both sides agreed to meet again\n\n"
        "Jane Reporter · Example News · Posted: Mar 12, 2024 4:00 AM EDT\n\n" + BODY_TEXT
    )
    result = extract_text(page)
    assert result.byline == "Jane Reporter"
    assert result.published == dt.datetime(2024, 3, 12, 8, 0, tzinfo=dt.UTC)


def test_author_label_on_its_own_line_names_the_next_line():
    page = (
        "Negotiators agree to resume talks next week\n\nPublished Mar 12, 2024\n\n"
        "Author of the article:\n\nJane Reporter\n\n" + BODY_TEXT
    )
    assert extract_text(page).byline == "Jane Reporter"


def test_numbered_list_after_the_prose_belongs_to_the_article():
    items = [
        "1) Lego bridge set",
        "https://example.com/a",
        "2) Racing track",
        "https://example.com/b",
        "3) Film box set",
        "https://example.com/c",
        "4) Board game",
        "https://example.com/d",
    ]
    page = _page(tail="\n\n" + "\n\n".join(items) + "\n\nAbout us\n\nContact")
    result = extract_text(page)
    kept = _kept(result)
    assert all(item in kept for item in items)
    assert _role_of(result, "2) Racing track") == (BODY, "numbered-list-item")
    assert "About us" not in kept


def test_headline_repeating_the_page_title_is_found_a_few_lines_into_the_run():
    headline = (
        "What's next for the talks, after the envoy's decision to leave the Geneva process early?"
    )
    page = (
        f"{headline} | Example News\n\nMenu\n\n{headline} | Example News Live\n\nWorld\n\n"
        f"{headline}\n\n" + BODY_TEXT
    )
    result = extract_text(page)
    assert result.title == headline
    assert _kept(result)[0].startswith("The minister said on Tuesday")


def test_words_running_on_past_the_page_title_are_trimmed_from_the_headline():
    page = (
        "Negotiators agree to resume talks next week? | Example News\n\nWorld\n\n"
        "Negotiators agree to resume talks next week? Back to video\n\n" + BODY_TEXT
    )
    assert extract_text(page).title == "Negotiators agree to resume talks next week?"


def test_sentence_ending_in_a_defined_abbreviation_is_not_a_caption():
    sentence = "The topic with the most potential is the electronic patient record (ePA)"
    assert _role_of(extract_text(_with_inserted(sentence)), sentence)[0] == BODY
    caption = "Delegates arrive at the conference centre in Geneva on Tuesday morning. (EPA)"
    assert _role_of(extract_text(_with_inserted(caption)), caption)[0] == CAPTION


def test_hard_wrapped_paragraphs_are_joined():
    import textwrap

    paragraphs = BODY_TEXT.strip().split("\n\n")
    wrapped = "\n\n".join(textwrap.fill(p, width=60) for p in paragraphs)
    result = extract_text("Negotiators agree to resume talks next week\n\n" + wrapped)
    assert [s for s in _kept(result)] == paragraphs


def test_one_paragraph_per_line_is_not_joined():
    lines = [
        f"Officials met for {n} hours in Geneva on Tuesday and agreed to continue the talks."
        for n in ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "many")
    ]
    result = extract_text("Talks resume\n\n" + "\n".join(lines))
    assert len([s for s in result.segments if s.role == BODY]) == 10


def test_published_date_above_furniture_between_header_and_text_is_read():
    furniture = "\n\n".join(f"Advertisement {n}" for n in range(1, 40))
    page = (
        "Negotiators agree to resume talks next week\n\nPublished Mar 12, 2024 • 4 minute read\n\n"
        + furniture
        + "\n\n"
        + BODY_TEXT
    )
    assert extract_text(page).published == dt.datetime(2024, 3, 12, tzinfo=dt.UTC)


def test_joiners_inside_emoji_and_scripts_survive_a_text_import():
    from reader.importing.text import extract_text

    polar_bear = "\U0001f43b\u200d\u2744\ufe0f"
    persian = "می\u200cخواهم"
    text = (
        "A headline for the joiner test\n\n"
        f"The zoo said the {polar_bear} exhibit opened on Monday, and a visitor wrote {persian} "
        "in the guest book, which the keepers kept as a souvenir of the day.\n\n"
        "A second paragraph keeps the article long enough to be read as an article body here."
    )
    kept = " ".join(s.html for s in extract_text(text).segments if s.kept)
    assert polar_bear in kept
    assert persian in kept


def test_a_long_site_name_after_a_bar_is_not_part_of_the_title():
    page = (
        "Negotiators agree to resume talks next week | Example News: World News, "
        "Analysis and Opinion From Every Capital\n\n" + BODY_TEXT
    )
    assert extract_text(page).title == "Negotiators agree to resume talks next week"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The quay at night. Photo: Maren Holt", ("The quay at night", "Photo: Maren Holt")),
        # a pasted copy runs the caption into its credit
        ("Crowds on the quayCredit: EPA", ("Crowds on the quay", "Credit: EPA")),
        # "photo:" inside a word is no credit
        (
            "Previous post: Astrophoto: Orion over the harbour at midnight",
            ("Previous post: Astrophoto: Orion over the harbour at midnight", ""),
        ),
    ],
)
def test_a_credit_after_a_caption_starts_a_word(text, expected):
    assert split_credit(text) == expected


def _paywalled_page(notice: str) -> str:
    opening = (
        "The harbour board voted on Tuesday evening to close the old ferry pier for at least "
        "two years, after engineers found that its timber piles had rotted."
    )
    box = [
        notice,
        "Enjoy the latest local, national and international news.",
        "Unlimited online access to The Coastal Courier and 15 news sites with one account.",
        "The Coastal Courier ePaper, an electronic replica of the print edition to view on "
        "any device, share and comment on.",
        "Daily puzzles and comics, including the crossword.",
        "Support local journalism.",
        "SUBSCRIBE TO UNLOCK MORE ARTICLES",
        "Create an account or sign in to continue with your reading experience.",
        "Access articles from across Canada with one account.",
        "Share your thoughts and join the conversation in the comments.",
        "Enjoy additional articles per month.",
        "Get email updates from your favourite authors.",
    ]
    more = [
        "Ferry services will move to the container quay from next month, which the board "
        "said would add about ten minutes to each crossing while a new pier is designed.",
        "Local traders, who depend on the summer visitors the ferry brings, said they had "
        "not been consulted and asked the board to publish the engineers' report in full.",
        "The board's chair said the report would be published once the insurers had read "
        "it, and that the safety of passengers had to come before the season's takings.",
        "Engineers will return in the autumn to survey the southern end of the pier, which "
        "was rebuilt in the nineteen-eighties and is thought to be in better condition.",
    ]
    lines = [
        "Harbour board shuts the old ferry pier",
        "By Jane Reporter",
        "Published May 03, 2026",
        "Article content",
        opening,
        "Advertisement 2",
        "Story continues below",
        *box,
        *box[1:],
        "Article content",
        *more,
    ]
    return "\n\n".join(lines) + "\n\n" + BODY_TEXT


def test_the_opening_paragraph_above_a_paywall_box_is_kept():
    result = extract_text(_paywalled_page("THIS CONTENT IS RESERVED FOR SUBSCRIBERS ONLY"))
    kept = _kept(result)
    assert kept[0].startswith("The harbour board voted on Tuesday evening")
    assert "Unlimited online access" not in " ".join(kept)
    assert _role_of(result, kept[0])[1] == "opening-above-paywall"


def test_a_paragraph_above_a_box_that_is_not_a_paywall_is_not_kept():
    result = extract_text(_paywalled_page("SUBSCRIBE TO OUR WEEKLY NEWSLETTER"))
    assert not any(k.startswith("The harbour board voted on Tuesday") for k in _kept(result))


def _short_post_page() -> str:
    comments = []
    for n, (name, said) in enumerate(
        [
            ("Harriet Quill", "Congratulations to the whole family!"),
            ("Tomasz", "What wonderful news, welcome to the world."),
            ("Priya L.", "Lovely. Enjoy every sleepless night of it."),
            ("Oskar", "Congrats! The pond will be busier now."),
        ],
        start=1,
    ):
        comments += [str(n), f"{name} Says:", f"March {n + 3}rd, 2013 at 8:1{n} pm", said]
    sidebar = (
        "I am a retired schoolteacher who writes about ponds, frogs and the slow business of "
        "watching water. Nothing here is sponsored, and every photograph on this blog is my "
        "own unless a caption says otherwise, so please ask before you borrow one of them."
    )
    lines = [
        "Pond Notes » Blog Archive » Our New Arrival",
        "Pond Notes",
        "Home",
        "About",
        "Our New Arrival",
        "Family Pond Notes March 3rd. 2013, 7:02pm",
        "Ida Rose Fenwick. Born 3/3/13. Future pond watcher.",
        "Trackback-URL",
        "48 Responses to “Our New Arrival”",
        *comments,
        "Leave a Reply",
        "About this blog",
        sidebar,
        "Archives",
    ]
    return "\n\n".join(lines)


def test_a_short_post_under_its_headline_and_over_its_comments_is_the_article():
    # The sidebar's paragraph outweighs a one-line post: the post is still the article.
    result = extract_text(
        _short_post_page(), source_url="https://pondnotes.example/2013/03/our-new-arrival/"
    )
    kept = _kept(result)
    assert result.title == "Our New Arrival"
    assert "Ida Rose Fenwick. Born 3/3/13. Future pond watcher." in kept
    assert not any("retired schoolteacher" in k or "Congratulations" in k for k in kept)


SHORT_POST_TEXT = (
    "Sticky, sweet and a little smoky: roast the squash with maple syrup and chilli flakes, "
    "then let the oven do the rest while you set the table."
)


def _short_text_page(far_text: str) -> str:
    lines = [
        "Maple Roast Squash - Weeknight Kitchen",
        "Weeknight Kitchen",
        "Recipes",
        "Subscribe to the Feed",
        "Previous Post",
        "Next Post",
        "November 2, 2012",
        "Maple Roast Squash",
        "Posted by Hannah Reyes",
        SHORT_POST_TEXT,
        "Click here for the recipe.",
        "1 Comment",
        "Tags: squash, maple, roasting",
        "Search Weeknight Kitchen",
        "Get our cookbook",
        "Most Read Posts",
        "the pickle plate - 23,886 views",
        "Last reply was 20 hours ago",
        far_text,
        "Subscribe to Weeknight Kitchen",
    ]
    return "\n\n".join(lines)


def test_a_short_text_under_its_headline_outweighs_a_readers_comment_elsewhere():
    comment = (
        "after taking all of that time to roast the squash before adding it to the tray, i would "
        "definitely leave it in for an additional ten minutes or so, because mine came out a bit "
        "too firm in the middle and the edges were not caramelised at all, which was a shame."
    )
    result = extract_text(
        _short_text_page(comment), source_url="https://kitchen.example/2012/11/maple-roast-squash/"
    )
    kept = _kept(result)
    assert SHORT_POST_TEXT in kept
    assert comment not in kept


def test_a_short_text_under_its_headline_gives_way_to_a_long_article_elsewhere():
    # Another article's worth of text below is the page's article; the short lines
    # under a headline above it are a teaser.
    article = [
        f"Paragraph {n} of the long report says what the council decided about the bridge, "
        "who spoke for it and against it, and what happens next week."
        for n in range(8)
    ]
    result = extract_text(
        _short_text_page("\n\n".join(article)),
        source_url="https://kitchen.example/2012/11/maple-roast-squash/",
    )
    kept = _kept(result)
    assert all(paragraph in kept for paragraph in article)
    assert SHORT_POST_TEXT not in kept


def test_a_standfirst_over_the_byline_of_a_short_paywalled_text_stays_the_standfirst():
    standfirst = (
        "There are more ferries, timetables and fares to choose from than ever before. Here is "
        "how to work out which crossing suits you."
    )
    lines = [
        "So Many Ways to Cross: Ferries, Fares and Timetables - The Harbour Journal",
        "Travel",
        "Ferries Review",
        "So Many Ways to Cross: Ferries, Fares and Timetables",
        standfirst,
        "By Tomas Harbourmaster",
        "Nov. 19, 2019 8:03 am ET",
        "Biography of the writer",
        "Share to facebook",
        "Share to twitter",
        "Share to linkedin",
        "Crossing used to be so simple. We bought a ticket at the quay, sat down on the upper "
        "deck and watched the island come closer.",
        "Now we pay over and over for seats, cabins and priority boarding, and the timetable "
        "changes with the season and the weather and the mood of the operator.",
        "All...",
        "To Read the Full Story",
        "Subscribe Sign In",
    ]
    result = extract_text(
        "\n\n".join(lines), source_url="https://harbour.example/articles/so-many-ways-to-cross-1157"
    )
    kept = _kept(result)
    assert result.subtitle == standfirst
    assert "Biography of the writer" not in kept
    assert kept[0].startswith("Crossing used to be so simple.")


SUMMARY_CARDS = [
    ("Ferry operator fined over late sailings", "The regulator said the delays broke the licence."),
    ("Lighthouse keeper's diary goes on show", "The museum bought the diary at auction last spring."),
    ("Harbour wall repairs begin in March", "Work will close the north quay for about six weeks."),
]


def _page_ending_in_cards(cards) -> str:
    lines = [line for card in cards for line in card]
    return (
        "Negotiators agree to resume talks next week\n\nBy Jane Reporter\n12 March 2024\n\n"
        + BODY_TEXT.strip()
        + "\n\n"
        + "\n\n".join(lines)
        + "\n\nAbout us | Advertise | Terms of service"
    )


def test_headlines_each_over_a_one_sentence_summary_end_the_article():
    kept = _kept(extract_text(_page_ending_in_cards(SUMMARY_CARDS)))
    assert kept[-1].startswith("The next round is expected")
    assert not any(line in kept for card in SUMMARY_CARDS for line in card)


def test_two_headed_paragraphs_or_questions_over_answers_stay_in_the_article():
    kept = _kept(extract_text(_page_ending_in_cards(SUMMARY_CARDS[:2])))
    assert SUMMARY_CARDS[1][1] in kept
    questions = [
        ("Will the ferry run on Sundays?", "The operator said it would decide by the summer."),
        ("Who pays for the harbour wall?", "The council and the port authority share the bill."),
        ("When does the work begin?", "The first crews are due on the quay in March."),
    ]
    kept = _kept(extract_text(_page_ending_in_cards(questions)))
    assert questions[2][1] in kept


def _article_closed_by(heading: str, items: list[str]) -> str:
    return (
        "Negotiators agree to resume talks next week\n\nBy Jane Reporter\n12 March 2024\n\n"
        + BODY_TEXT.strip()
        + "\n\n"
        + "\n\n".join([heading, *items])
        + "\n\nSign up for our newsletter\n\nShare This Story"
    )


def test_a_box_of_headlines_closing_the_article_is_the_boxs():
    items = [
        "Ferry operator fined over late sailings on the island route",
        "Why we hear so little about the harbour master's plan",
    ]
    result = extract_text(_article_closed_by("Recommended from Editorial", items))
    kept = _kept(result)
    assert kept[-1].startswith("The next round is expected")
    assert all(_role_of(result, item) == (CHROME, "related-box") for item in items)


def test_one_headline_under_previous_post_is_not_a_box():
    item = "Digital fair brings the harbour's history to your school"
    result = extract_text(_article_closed_by("Previous Post", [item]))
    assert _role_of(result, item)[1] != "related-box"


def test_a_promotion_box_between_skip_and_after_marks_does_not_end_the_article():
    paragraphs = BODY_TEXT.strip().split("\n\n")
    last = (
        "Experts said the new timetable might have made the crossing slower, but the mayor "
        "said it was too early to say what had gone wrong on the night of the storm."
    )
    box = [
        "skip past newsletter promotion",
        "Sign up to Harbour Weekly",
        "Free weekly newsletter",
        "The tides, the ferries and the people who work the quays, every Friday",
        "Enter your email address",
        "Sign up",
        "Privacy Notice: Newsletters may contain information about charities and online ads.",
        "after newsletter promotion",
    ]
    page = (
        "Negotiators agree to resume talks next week\n\nBy Jane Reporter\n12 March 2024\n\n"
        + "\n\n".join([*paragraphs, *box, last])
        + "\n\nExplore more on these topics\n\nHarbours\n\nFerries"
    )
    result = extract_text(page)
    kept = _kept(result)
    assert kept[-1] == last
    assert not any(line in kept for line in box)


def test_pasted_page_takes_its_title_from_the_line_that_says_the_address():
    # a select-all copy starts with the blog's name and tagline, which reads like a
    # headline; the headline itself is short and punctuated like a sentence
    lines = [
        "The Wanderlog stories, maps and advice for the road",
        "AboutWho writes this and how to reach her.",
        "ArchivesEvery post since the first one.",
        "Twitter",
        "Facebook",
        "RSS",
        "14",
        "March",
        "2013",
        "Well, we made it home. Mostly.",
        "Tags: Home, Family, Random Thoughts",
        "Posted in:",
        "Comments:12",
        "The flight back was not what I expected it to be, and neither was the week that "
        "followed it.",
        "I had told myself the trip home would be the easy part. I packed the night before, "
        "checked the timetable twice and still managed to leave my passport on the kitchen "
        "table of the flat.",
        "So naturally, I spent the first morning home on the telephone to the embassy, and the "
        "second asleep on the sofa with the cat, wondering why it had all taken so long.",
    ]
    result = extract_text(
        "\n\n".join(lines), source_url="https://wanderlog.example/well-we-made-it-home-mostly/"
    )
    assert result.title == "Well, we made it home. Mostly."
    assert _role_of(result, "Well, we made it home. Mostly.") == ("title", "title-from-address")
    assert _kept(result)[0].startswith("The flight back was not what I expected")


def test_a_subheading_in_the_body_that_says_the_address_stays_body():
    # the page's title is a slogan and the address's words; its headline is the slogan
    # alone, and a subheading further down says the address's words: it is part of
    # the article, not its headline
    lines = [
        "Quay spring - harbour museum open day 2018",
        "Quay spring",
        "The museum by the harbour opens its doors again on the first weekend of April, after "
        "a winter of repairs to the roof and the old sail loft.",
        "Visitors will find the ground floor rearranged around the lifeboat, which has been "
        "restored by volunteers over three years of weekends.",
        "Harbour museum open day",
        "On the Saturday, entry is free and the curators will give tours of the loft every hour "
        "from ten in the morning until four in the afternoon.",
        "Families can join a knot-tying class on the quay, weather permitting, and the cafe will "
        "serve soup made by the lifeboat crew.",
        "The museum's shop will sell the new guide to the harbour, written by the volunteers "
        "who restored the lifeboat, and the proceeds will pay for the next repairs.",
    ]
    result = extract_text(
        "\n\n".join(lines), source_url="https://quay.example/news/harbour-museum-open-day"
    )
    assert "Harbour museum open day" in _kept(result)
    assert _kept(result)[0].startswith("The museum by the harbour opens its doors")


def test_pasted_short_post_under_the_headline_that_says_the_address_is_the_article():
    # no page title above a pasted page: the headline is the line that says the
    # address, and the one-line post under it outweighs nothing on the page
    lines = [
        "Garden Notes",
        "Growing things slowly",
        "Home",
        "About",
        "The First Tomato",
        "Uncategorized Garden Notes August 3rd. 2013, 7:15pm",
        "Our first tomato of the year. Grown from seed on the windowsill.",
        "comments feed for this post",
        "4 Responses to “The First Tomato”",
        "Ruth Says:",
        "August 3rd, 2013 at 8:02 pm",
        "Congratulations, it looks delicious.",
        "Tom Says:",
        "August 3rd, 2013 at 8:40 pm",
        "Mine are still green!",
        "Anna Says:",
        "August 3rd, 2013 at 9:12 pm",
        "Well done, what variety is it?",
        "Leave a Reply",
        "I'm a retired teacher who grows vegetables on a small allotment by the river. I write "
        "about what works, what fails and what the slugs eat, in the hope that someone else "
        "can learn from my mistakes rather than repeat them, and I answer every question.",
        "Recent posts on the allotment and the greenhouse, with notes on seeds and soil.",
    ]
    result = extract_text(
        "\n\n".join(lines), source_url="https://gardennotes.example/2013/08/03/the-first-tomato/"
    )
    assert result.title == "The First Tomato"
    assert _kept(result) == ["Our first tomato of the year. Grown from seed on the windowsill."]


def test_the_run_starts_under_the_headline_when_a_sidebars_teasers_are_read_into_it():
    # the latest-news list above the headline is glued headline-and-teaser lines,
    # each long enough to read as a paragraph: the article starts under its headline
    teasers = [
        "Lighthouse keeper's diary goes on show The museum bought the diary at auction last "
        "spring and will show it in the loft from Monday onwards.",
        "Harbour wall repairs begin in March Work will close the north quay for about six "
        "weeks, the council said on Tuesday evening.",
        "Lifeboat crew rescues two kayakers The volunteers were called out twice in one "
        "afternoon as the wind rose in the bay.",
    ]
    body = [
        "The ferry company has published its winter timetable, and the first sailing of the "
        "day now leaves half an hour later than it did in the summer.",
        "The last sailing back from the island is earlier too, which will not please the "
        "people who work late in town.",
        "The company says the changes follow a fall in passenger numbers after October.",
    ]
    lines = ["Harbour Notes - News", "Home", "News"]
    for teaser, stamp in zip(teasers, ["20mins ago", "50mins ago", "1hr 20mins ago"], strict=True):
        lines += [teaser, stamp]
    lines += ["Ferry timetable changes for the winter", "by Ruth Marsh, Nov 02, 2012 10:00am GMT"]
    result = extract_text(
        "\n\n".join(lines + body),
        source_url="https://harbournotes.example/2012/11/ferry-timetable-changes-for-the-winter/",
    )
    assert result.title == "Ferry timetable changes for the winter"
    assert _kept(result) == body


def test_a_standfirst_found_under_a_passed_over_title_goes_with_it():
    # the header search first takes a menu's headline, with the page's address under
    # it as its standfirst; the line that says the address is the title, and has none
    url = "https://www.quaynews.example/news/article/Cat-found-in-Santa-Fe-after-five-years-1484.php"
    lines = [
        "Menu",
        "Sections",
        "Breaking News",
        "Man bludgeoned in violent robbery identified",
        "'I didn't mean to': Man charged in death of best friend",
        url,
        "Cat found in Santa Fe after five years away",
        "Updated 11:21 pm CST, Tuesday, November 19, 2019",
        "SANTA FE (AP) — A cat who went missing five years ago in Portland has been found "
        "wandering the streets of Santa Fe, more than a thousand miles from home.",
        "The animal shelter announced this week that the black cat was recognised from her "
        "microchip, and her family has been told she is safe.",
        "An airline has offered to fly the cat home, along with a member of the shelter's "
        "staff, later this month.",
        "Most Popular",
    ]
    result = extract_text("\n\n".join(lines), source_url=url)
    assert result.title == "Cat found in Santa Fe after five years away"
    assert result.subtitle == ""
    assert url not in _kept(result)


COUNTED_LINES = ["Grill Recipes (53)", "Italian Cuisine (117)", "Harbour walks (8)", "Lamb (33)"]


def _article_then(lines: list[str]):
    article = "Negotiators agree to resume talks next week\n\nBy Jane Reporter\n12 March 2024\n\n"
    return extract_text(article + BODY_TEXT + "\n\n".join(lines))


def test_four_lines_of_names_with_counts_are_a_blogs_box():
    # a blog's categories with their post counts under the article
    result = _article_then(COUNTED_LINES)
    assert [_role_of(result, line) for line in COUNTED_LINES] == [(CHROME, "count-list")] * 4
    assert len([s for s in result.segments if s.role == BODY]) == 4


def test_three_lines_of_names_with_counts_are_no_count_list():
    # three such lines may be a small table of the article's own
    result = _article_then(COUNTED_LINES[:3])
    assert all(_role_of(result, line)[1] != "count-list" for line in COUNTED_LINES[:3])
    assert len([s for s in result.segments if s.role == BODY]) == 4


def test_pasted_post_starts_under_the_line_that_says_the_address():
    # a pasted page has no page title: a sidebar's lines read into the run above the
    # headline go, though no byline or date stands under the headline
    body = [
        "Need a last-minute present for the harbour festival? I have drawn a paper lantern in "
        "the shape of the old lighthouse that you can print, cut out and fold at home in an "
        "afternoon.",
        "Print it on thick paper, cut along the solid lines and fold along the dotted ones, "
        "then glue the tabs and put a battery candle inside.",
        "Have a lovely festival, everyone!",
    ]
    lines = [
        "Harbour Crafts",
        "Home",
        "Shop",
        "Find a list of shops carrying Quayside, my most recent fabric line, right here in town.",
        "Share your own photos in these groups:",
        "Print your own lighthouse lantern",
    ]
    result = extract_text(
        "\n\n".join(lines + body),
        source_url="https://harbourcrafts.example/2012/10/print-your-own-lighthouse-lantern.html",
    )
    assert result.title == "Print your own lighthouse lantern"
    assert _kept(result) == body


def test_the_headline_said_again_in_a_list_of_threads_at_the_foot_is_still_the_title():
    # three lines say the address's words: the headline near the top, and the same
    # headline twice in the list of recent threads at the foot of the page
    head = "Harbour Regatta Aug 9th Open Thread"
    lines = [
        "Navigation: Jump to content areas:",
        "Main Blog Content",
        "Secondary Sidebar: Links to Recent Stories, Fan Posts and Fan Shots",
        "Masthead",
        "Home",
        "Regatta",
        head,
        "by Jaxon on Aug 9, 2012 10:15 AM EDT",
        "Tweet",
        "334 comments",
        "Email",
        "Print",
        "We've got another morning of racing on the bay on tap for 10:30am, with the juniors "
        "out first and the keelboats after lunch.",
        "So let's keep it going... This is now an open thread!",
        "Recent threads",
        *[f"Notice {n}: the slipway closes at six tonight" for n in range(1, 9)],
        head,
        "Harbour Regatta Aug 8th Open Thread",
        head,
        "About us",
        "Contact",
    ]
    result = extract_text(
        "\n\n".join(lines),
        source_url="https://harbourfans.example/2012/8/9/321/harbour-regatta-aug-9th-open-thread",
    )
    assert result.title == head


def test_a_pictures_credit_said_twice_under_the_standfirst_leaves_the_headline_the_title():
    """A pasted page: the headline, its standfirst, then the picture's credit twice (its
    alt text and its caption) over the byline. The credit said twice takes one place
    in the header, so the headline, three lines up, is still the title."""
    headline = "The coast needs more ferries. One island wants to help"
    standfirst = "Can a small island build a ferry service from scratch?"
    lines = [
        "Skip to content",
        "Features",
        "News",
        "About",
        "Features",
        headline,
        standfirst,
        "Harbourline",
        "Harbourline",
        "By Jane Tidewell",
        "21 October 2025 • Portree",
        *BODY_TEXT.strip().split("\n\n"),
    ]
    result = extract_text("\n\n".join(lines))
    assert result.title == headline
    assert result.subtitle == standfirst
