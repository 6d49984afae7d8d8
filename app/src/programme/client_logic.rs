//! The browser client's decisions that need no browser (`client` reads the page and calls
//! these): how many cards can be on screen, the count a checkbox's label shows, whether a
//! click on a link stays in the programme, and when the URL follows a change. Compiled
//! everywhere, so that the unit tests run them.
use std::time::Duration;

/// How long the URL waits after a click, and after a keystroke.
pub const URL_AFTER_CLICK: Duration = Duration::from_millis(16);
pub const URL_AFTER_TYPING: Duration = Duration::from_millis(300);

/// The smallest height of a row of cards (px): the demo edition's shortest card measures
/// 350 at every screen width from 390 to 1,920 px; a card has at least its badges, date,
/// title, summary, places and button.
pub const CARD_ROW_MIN_PX: f64 = 300.0;
/// The gap between the list's columns (px), and its narrowest column with its gap: `1.5rem`
/// and `18rem` in `style/_app.scss`.
pub const CARD_GAP_PX: f64 = 24.0;
pub const CARD_COLUMN_MIN_PX: f64 = 288.0 + CARD_GAP_PX;

/// How many of the list's cards can be on screen: the rows at their smallest from the top of
/// the results' block (`top`, px from the top of the screen) to the bottom of a screen
/// `height` high, as many cards a row as a block `width` wide has columns at their narrowest.
pub fn cards_on_screen(height: f64, top: f64, width: f64) -> usize {
    let rows = ((height - top) / CARD_ROW_MIN_PX).ceil().max(1.0);
    let columns = ((width + CARD_GAP_PX) / CARD_COLUMN_MIN_PX)
        .floor()
        .max(1.0);
    (rows * columns) as usize
}

/// The count a checkbox's label shows (« (12) », « (1 234) »): its digits.
pub fn shown_count(text: &str) -> u32 {
    text.bytes().filter(u8::is_ascii_digit).fold(0u32, |n, d| {
        n.saturating_mul(10).saturating_add(u32::from(d - b'0'))
    })
}

/// A click as the client sees it: the mouse button and keys, and the link's attributes.
pub struct Click<'a> {
    pub button: i16,
    pub modifier: bool,
    pub already_handled: bool,
    pub download: bool,
    pub target: Option<&'a str>,
}

/// Whether a click on a link to `path` of `origin` (the page being at `here_origin`) is
/// followed by the client, inside the programme at `base`, rather than by a page load: a plain
/// click (main button, no modifier key: those open tabs), in this window, on this programme.
pub fn stays_in_programme(
    click: &Click,
    origin: &str,
    path: &str,
    here_origin: &str,
    base: &str,
) -> bool {
    !click.already_handled
        && click.button == 0
        && !click.modifier
        && origin == here_origin
        && path == base
        && !click.download
        && click.target.is_none_or(|t| t.is_empty() || t == "_self")
}

/// When the URL follows a change: a click's at once (next frame), typed text's once typing
/// pauses; `push` (a new history entry) unless the change replaces, and still a push when a
/// click's entry is waiting (typing after a click does not swallow it).
pub fn url_update(replace: bool, waiting_push: Option<bool>) -> (bool, Duration) {
    let push = !replace || waiting_push.unwrap_or(false);
    let delay = if replace {
        URL_AFTER_TYPING
    } else {
        URL_AFTER_CLICK
    };
    (push, delay)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cards_on_screen_are_the_rows_below_the_block_times_its_columns() {
        // A phone: one column, the block 200 px down a 844 px screen: 3 rows.
        assert_eq!(cards_on_screen(844.0, 200.0, 358.0), 3);
        // A desktop: 3 columns of 288 + 24 in 936 + 24 px.
        assert_eq!(cards_on_screen(900.0, 300.0, 936.0), 6);
        // A block below the screen still writes one row; a narrow one one column.
        assert_eq!(cards_on_screen(600.0, 900.0, 100.0), 1);
    }

    #[test]
    fn the_shown_count_is_its_digits() {
        assert_eq!(shown_count("(12)"), 12);
        assert_eq!(shown_count("(1\u{202f}234)"), 1234);
        assert_eq!(shown_count("()"), 0);
        assert_eq!(shown_count("(99999999999999)"), u32::MAX);
    }

    #[test]
    fn only_a_plain_click_on_this_programme_stays_in_it() {
        let plain = Click {
            button: 0,
            modifier: false,
            already_handled: false,
            download: false,
            target: None,
        };
        let here = "https://mois.example";
        assert!(stays_in_programme(
            &plain,
            here,
            "/programme",
            here,
            "/programme"
        ));
        assert!(!stays_in_programme(
            &plain,
            here,
            "/evenements/x",
            here,
            "/programme"
        ));
        assert!(!stays_in_programme(
            &plain,
            "https://autre.example",
            "/programme",
            here,
            "/programme"
        ));
        for click in [
            Click { button: 1, ..plain },
            Click {
                modifier: true,
                ..plain
            },
            Click {
                already_handled: true,
                ..plain
            },
            Click {
                download: true,
                ..plain
            },
            Click {
                target: Some("_blank"),
                ..plain
            },
        ] {
            assert!(!stays_in_programme(
                &click,
                here,
                "/programme",
                here,
                "/programme"
            ));
        }
        let same = Click {
            target: Some("_self"),
            ..plain
        };
        assert!(stays_in_programme(
            &same,
            here,
            "/programme",
            here,
            "/programme"
        ));
    }

    #[test]
    fn typing_after_a_click_keeps_the_clicks_history_entry() {
        assert_eq!(url_update(false, None), (true, URL_AFTER_CLICK));
        assert_eq!(url_update(true, None), (false, URL_AFTER_TYPING));
        assert_eq!(url_update(true, Some(true)), (true, URL_AFTER_TYPING));
        assert_eq!(url_update(true, Some(false)), (false, URL_AFTER_TYPING));
    }
}
