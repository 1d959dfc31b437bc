"""The title of a page pasted whole (a select-all copy): never a page control, the site's
name or a one-word line; the headline shown twice near the top wins, else the longest
headline-like line above the first paragraph. Every page here is written for the test."""

from __future__ import annotations

import pytest

from reader.importing.text import extract_text

BODY = [
    "The harbour board voted on Tuesday evening to close the old ferry pier for at least two "
    "years, after engineers found that the timber piles under its northern end had rotted "
    "much faster than anyone had expected.",
    "Ferry services will move to the container quay from next month, which the board said "
    "would add about ten minutes to each crossing while a new pier is designed and built.",
    "Local traders, who depend on the summer visitors the ferry brings, said they had not "
    "been consulted and asked the board to publish the engineers' report in full.",
    "The board's chair said the report would be published once the insurers had read it, "
    "and that safety had to come before the season's takings.",
]
HEADLINE = "Harbour board shuts the old ferry pier for two years after rot is found"


def paste(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def test_a_page_control_above_the_headline_is_not_the_title():
    text = paste(
        "Menu",
        "Search",
        "Increase article font size",
        "Decrease article font size",
        "Print",
        "Share",
        HEADLINE,
        *BODY,
    )
    assert extract_text(text).title == HEADLINE


def test_controls_site_name_and_one_word_lines_are_never_the_title_even_alone():
    text = paste(
        "Increase article font size",
        "Share this article",
        "Print",
        "Today's Paper",
        "Coastal Courier",
        "Harbour",
        *BODY,
    )
    result = extract_text(text, source_url="")
    assert result.title not in {
        "Increase article font size",
        "Share this article",
        "Print",
        "Today's Paper",
        "Harbour",
    }


def test_the_site_name_is_not_the_title():
    text = paste(
        "Stay up to date with notifications from The Coastal Courier",
        "News",
        "Sport",
        HEADLINE,
        "The Coastal Courier",
        *BODY,
    )
    result = extract_text(text)
    assert result.source_name == "The Coastal Courier"
    assert result.title == HEADLINE


def test_the_headline_shown_twice_near_the_top_is_the_title():
    text = paste(
        "Skip to content",
        HEADLINE,  # the page's sticky title bar
        "News",
        "Local",
        "Council approves the new cycle lanes on the seafront road",  # a teaser
        "Weather",
        "Most read",
        "Increase article font size",
        HEADLINE,
        *BODY,
    )
    assert extract_text(text).title == HEADLINE


def test_without_a_title_line_the_longest_headline_above_the_text_is_the_title():
    text = paste(
        "Menu",
        "Toggle navigation",
        "Home News",
        "Coast and country",
        "View more offers",
        "Increase article font size",
        HEADLINE,
        "Updated 4 hours ago",
        "Listen to this article",
        *BODY,
    )
    result = extract_text(text)
    assert result.title == HEADLINE
    # The title is not also kept as a paragraph of the text.
    assert all(s.html != HEADLINE for s in result.segments if s.role == "body")


def test_a_headline_in_capitals_that_repeats_the_page_title_is_the_title():
    text = paste(
        "AT THE FERRY PIER – HARBOUR NOTES",
        "Harbour Notes",
        "About",
        "AT THE FERRY PIER",
        *BODY,
    )
    result = extract_text(text)
    assert result.title == "AT THE FERRY PIER"
    # the headline itself, not the page's title bar, and the text under it follows it
    roles = [(s.html, s.role) for s in result.segments]
    assert roles[3] == ("AT THE FERRY PIER", "title")
    assert roles[0][1] != "title"


def test_a_teaser_cut_short_or_a_menu_on_one_line_is_not_the_title():
    text = paste(
        "Home • News • Harbour • Weather • Letters",
        "Anna Berg writes about the harbour, the ferries and the people who work on the "
        "quays of the town. Before that she... More",
        "Increase article font size",
        *BODY,
    )
    result = extract_text(text)
    assert result.title != "Home • News • Harbour • Weather • Letters"
    assert "More" not in (result.title or "")


CONTROLS_BETWEEN_HEADLINE_AND_TEXT = [
    # a share bar with every network's button
    "Facebook Twitter Flipboard Send Reddit WhatsApp VK Threads Bluesky",
    # reading time and the stamp run together, as innerText gives them
    "3 minute readMay 12, 20269:15 AM GMT+1Updated 2 hours ago",
    # the site's newsletter, offered between headline and text
    "Get our free morning news email with the day's main stories and the weather",
    # the paywall's offer to print subscribers
    "If you are a print subscriber, digital access is included in your subscription. "
    "Activate your digital access today",
]


@pytest.mark.parametrize("control", CONTROLS_BETWEEN_HEADLINE_AND_TEXT)
def test_a_page_control_between_the_headline_and_the_text_is_not_the_title(control):
    text = paste(
        "Skip to main content",
        "News",
        "Local",
        HEADLINE,
        "Listen to this article",
        control,
        *BODY,
    )
    result = extract_text(text)
    assert result.title == HEADLINE
    assert all(s.html != control for s in result.segments if s.kept)


def test_a_video_players_back_to_video_button_run_onto_the_headline_is_not_in_the_title():
    text = paste(
        "Menu",
        "We apologize, but this video has failed to load.",
        "Try refreshing your browser, or",
        f"{HEADLINE} Back to video",
        "Play Video",
        *BODY,
    )
    assert extract_text(text).title == HEADLINE


@pytest.mark.parametrize(
    "caption",
    [
        "Engineers walk along the old pier at low tide on Monday, seen from the harbour wall "
        "(AP Photo/Jane Field) - Copyright AP Photo",
        "Engineers walk along the old pier at low tide on Monday, seen from the harbour wall "
        "(AP Photo/Jane Field) more >",
    ],
)
def test_a_photo_caption_with_its_credit_is_never_the_title(caption):
    text = paste("Skip to main content", "News", HEADLINE, "Share", caption, *BODY)
    assert extract_text(text).title == HEADLINE


def test_the_name_under_a_lone_by_is_the_byline_not_the_title():
    text = paste(
        "Skip to main content",
        HEADLINE,
        "The piles under the pier rotted faster than expected, and the ferries will move to "
        "the container quay for two years (stock image) (",
        "Image: Coastal Courier)",
        "By",
        "Mary Okafor",
        "|",
        *BODY,
    )
    result = extract_text(text)
    assert result.title == HEADLINE
    assert result.byline == "Mary Okafor"


def test_a_long_headline_that_repeats_its_little_words_is_still_a_headline():
    headline = "The End of the Line for the Last Ferry of the Harbour and the Pier"
    text = paste(
        "Skip to content",
        headline,
        "Magazine",
        "Subscribe",
        "Log In",
        "Books & the Arts",
        "About",
        "Local / May 3, 2026",
        headline,
        "Why the board gave up on a pier that served the town for a century.",
        "Share",
        *BODY,
    )
    assert extract_text(text).title == headline


@pytest.mark.parametrize("crumb", ["Home Investigations", "Home › News › Harbour"])
def test_a_breadcrumb_at_the_top_of_the_copy_is_not_the_title(crumb):
    """The breadcrumb heads the copy; the headline stands above a standfirst and a row
    of page controls, several lines above the byline."""
    text = paste(
        crumb,
        "News",
        "Opinion",
        "Sport",
        HEADLINE,
        "The board says safety comes first; traders say nobody asked them.",
        "Dive Deeper",
        "Speed Read",
        "Summary",
        "Listen",
        "By Jane Reporter",
        "6 Jan 2026",
        *BODY,
    )
    assert extract_text(text).title == HEADLINE


def test_the_writers_name_printed_twice_is_not_the_title():
    """The name stands in the byline over the paper's name and the date, and again
    over the writer's box: the headline above them is the title."""
    text = paste(
        "Menu",
        "Today's Paper",
        "Tuesday, 26 November 2024",
        "Harbour News",
        "Politics",
        HEADLINE,
        "Mary Ann Jones",
        "The Coastal Courier",
        "Tue, 26 November 2024 9:27PM",
        "Comments",
        "Mary Ann Jones",
        *BODY,
    )
    assert extract_text(text).title == HEADLINE


@pytest.mark.parametrize(
    "line",
    [
        # a writer's or photographer's credit line
        "by Mary Okafor on May 3, 2026 9:07 AM EDT in Harbour Watch",
        "By Mary Okafor on May 3rd, 2026 Harbours, Ferries, Local Government, Town Council",
        "Text by Mary Okafor",
        "Jane Field / AP",
        "Tom Baker, Senior Reporter, The Coastal Courier",
        "Guest Blogger: Mary Okafor",
        # a post's stamp: when, by whom, filed where
        "Posted on: 05-3-2026 With: 1 Comment Posted by: Mary Okafor",
        "05.03.26 Written by Mary Okafor",
        "1 Comment » | Published in Harbours, Ferries, Town Council",
        "May 3rd '26 by Mary Okafor @ 10:58am",
        "Filed in: Harbours",
        "Mary Okafor Become a fan",
        "12,094 Views",
        "Send to a Friend",
        "Your Ad Here",
        # the page's labels for the post's metadata, a player's control
        "Source: Coastal Courier TV",
        "Labels: Harbour News",
        "Bookmarks: del.icio.us, reddit",
        "Closed captioning of: Harbour board shuts the old ferry pier",
        "Open in new window",
        # the time, a date in figures, a gallery's counter, a trail of sections
        "8:57pm, EDT",
        "11.09.12",
        "1 of 5",
        "Courier Home / Local / News / Harbour board shuts the old ferry pier",
        "Latest News → Harbour Watch",
        # a link to another story (or a player's button) run onto its headline
        "Next story in Harbour Council votes to keep the lifeboat station open all winter",
        "Previous Story Council votes to keep the lifeboat station open all winter",
        "Jump to video Harbour board shuts the old ferry pier",
        "Share this Story : Coastal Courier",
        "Continue reading the main story",
    ],
)
def test_a_credit_line_a_stamp_or_a_link_away_is_never_the_title(line):
    text = paste("Skip to main content", "News", HEADLINE, "Share", line, *BODY)
    assert extract_text(text).title == HEADLINE


@pytest.mark.parametrize(
    ("page_title", "url", "title"),
    [
        (f"{HEADLINE} | Coastal Courier - News, Ferries and Harbour Life", "", HEADLINE),
        ("Piers - Coastal Courier", "https://www.coastalcourier.example/piers", "Piers"),
        # a short headline keeps what follows its dash when that is not the site's name
        ("Piers - Ferries", "https://www.coastalcourier.example/piers", "Piers - Ferries"),
        # the trail of links from the home page before the headline
        ("Home / Blog / Piers closed for two years", "", "Piers closed for two years"),
        ("Home Office closes the old ferry pier", "", "Home Office closes the old ferry pier"),
        # a blog's name and trail before "»" or "›", or the site's name after it
        ("Coastal Courier » Piers closed for two years", "", "Piers closed for two years"),
        ("Harbour Notes › Piers closed for two years", "", "Piers closed for two years"),
        ("Piers closed for two years » Coastal Courier", "https://coastalcourier.example/p", "Piers closed for two years"),
        # the site's name before the headline
        ("Coastal Courier: Piers closed", "https://coastalcourier.example/piers", "Piers closed"),
        ("Ferry Notes: Piers closed", "https://coastalcourier.example/piers", "Ferry Notes: Piers closed"),
    ],
)
def test_the_site_name_after_the_page_title_is_not_part_of_the_title(page_title, url, title):
    text = paste(page_title, "Home", "About", "Contact", *BODY)
    assert extract_text(text, source_url=url).title == title


@pytest.mark.parametrize(
    "headline",
    [
        "By the Numbers: What the Old Ferry Pier Cost the Town",
        "Next Year's Ferry Timetable Is Out, and the Pier Is Not in It",
        "Harbour Board / Town Council Row Over the Pier Goes to Court",
        "Study Published in Nature Says the Old Ferry Pier Was Doomed",
    ],
)
def test_headlines_shaped_like_credits_or_links_are_still_titles(headline):
    text = paste("Skip to main content", "News", "Share", headline, *BODY)
    assert extract_text(text).title == headline


def test_a_headline_the_sources_other_pages_list_is_still_the_title_over_the_byline():
    """The source's other pages list this story in their sidebars, so its headline recurs
    in the source; with no other headline on the page, it is the title over the byline.
    A recurring teaser elsewhere above the text is not."""
    teaser = "Council votes to keep the lifeboat station open all winter"
    recurring = {HEADLINE, teaser, "Home", "Local News", "Harbours"}
    text = paste(
        "Home",
        "Local News",
        teaser,
        "Harbours",
        HEADLINE,
        "by Mary Okafor on Thursday, May 3, 2026 at 4:30am",
        *BODY,
    )
    result = extract_text(text, recurring=lambda line: line.strip() in recurring)
    assert (result.title, result.byline) == (HEADLINE, "Mary Okafor")

    text = paste("Home", teaser, "Local News", "Harbours", *BODY)
    assert extract_text(text, recurring=lambda line: line.strip() in recurring).title != teaser


@pytest.mark.parametrize(
    "headline", ["Making Ferry Timetables More Reliable", "Running From The Storm"]
)
def test_a_headline_beside_a_date_is_not_a_writers_name(headline):
    text = paste("Home", "About", "Archives", headline, "May 3, 2026", *BODY)
    result = extract_text(text)
    assert (result.title, result.byline) == (headline, "")


def test_an_agency_beside_a_date_is_still_the_byline():
    text = paste("Home", HEADLINE, "The Associated Press", "May 3, 2026", *BODY)
    result = extract_text(text)
    assert (result.title, result.byline) == (HEADLINE, "The Associated Press")


def test_a_blog_posts_headline_under_its_date_is_the_title():
    headline = "Nine reasons the harbour board closed the old ferry pier"
    text = paste(
        "Harbour Blog",
        "« From storm warnings to lifeboat drills: highlights from the harbour festival | "
        "Main | UPDATE: Council votes to keep the lifeboat station open all winter after "
        "a long and heated debate in the town hall »",
        "20 July 2026",
        headline,
        "Via the harbour master's own notes:",
        *BODY,
    )
    assert extract_text(text).title == headline


def test_the_headline_over_the_writers_name_and_profile_link_is_the_title():
    """The page puts the date and the story's tags far above the headline, which stands
    with the share buttons' and the writer's box over the text: the tags are no title."""
    text = paste(
        "Coastal Courier",
        "Top Stories",
        "harbour ferries pier council rot engineers",
        "May 3, 2026 10:55 AM",
        "Share",
        "Facebook",
        "Twitter",
        "StumbleUpon",
        "Email this post",
        "Tweet",
        "GET OUR TOP STORIES",
        HEADLINE,
        "Mary J. Okafor",
        "View Profile",
        "Email",
        "RSS",
        *BODY,
    )
    result = extract_text(text)
    assert (result.title, result.byline) == (HEADLINE, "Mary J. Okafor")
    # the source's other pages list the headline and the writer: still title and byline
    listed = {HEADLINE, "Mary J. Okafor"}
    result = extract_text(text, recurring=lambda line: line.strip() in listed)
    assert (result.title, result.byline) == (HEADLINE, "Mary J. Okafor")


def test_the_sites_name_or_its_tagline_is_never_the_title():
    """A paste begins with the blog's name, spelt as its address spells it, and its
    tagline; the post here has no headline line, so it has no title rather than those."""
    menu = ["Categories", "Harbours", "Ferries", "Tides", "Piers", "Lifeboats", "Weather"]
    for top in ("Coastal Courier", "— a blog about ferries, piers, tides and the people on them"):
        text = paste(top, *menu, "Council", "Boats", "Fishing", "Recipes", "Photos", *BODY)
        result = extract_text(text, source_url="https://coastalcourier.example/2026/05/piers")
        assert result.title == ""
