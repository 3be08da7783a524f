"""The strings of the admin dashboard (``/admin``) and of the bot's ``/dashboard`` reply, in
both languages (kept together, since they change together).

The page's strings are plain text (the template escapes them); ``bot_link`` is the bot's HTML.
Placeholders are named in the comments.
"""

from __future__ import annotations

from dataclasses import dataclass

from esvitlo.domain.admin_sessions import LOGIN_TTL

LOGIN_MINUTES = int(LOGIN_TTL.total_seconds() // 60)


@dataclass(frozen=True, slots=True)
class AdminWebTexts:
    """The dashboard in one language."""

    lang: str
    bot_link: str  # {url} {minutes}: the bot's reply to /dashboard (HTML)
    title: str
    login_title: str
    login_intro: str
    login_button: str
    login_refused: str  # the link is unknown, used or expired
    other_language: str
    log_out: str
    instances: str
    this_instance: str  # {instance}
    leader_yes: str
    leader_no: str
    live_instances: str  # {instances}
    regions: str
    regions_note: str  # what a follower knows of the schedule watch
    region_col: str
    last_update_col: str
    checks_col: str
    breakers_col: str  # each source's breaker: closed (working), open (skipped), half_open
    last_error_col: str
    checks_value: str  # {runs} {failures}
    outbox: str
    waiting: str  # {count}
    oldest_waiting: str  # {age}
    sent: str  # {sent} {rate}
    rate_limited: str  # {count}
    no_sender: str
    dead_letters: str  # {count}
    no_dead_letters: str
    retry: str
    drop: str
    counts: str
    users: str  # {users} {active}
    channels: str  # {count}
    monitors: str  # {count}
    pause: str
    paused_now: str
    running_now: str
    pause_button: str
    resume_button: str
    never: str
    minutes_ago: str  # {minutes}
    times_note: str


UK = AdminWebTexts(
    lang="uk",
    bot_link=(
        'Вхід до панелі: <a href="{url}">відкрити</a>. Посилання одноразове й діє {minutes} хв.'
    ),
    title="Панель адміністратора",
    login_title="Вхід до панелі",
    login_intro="Натисніть кнопку, щоб увійти. Посилання діє один раз.",
    login_button="Увійти",
    login_refused="Посилання недійсне: його вже використано або строк минув. Надішліть боту /dashboard.",
    other_language="English",
    log_out="Вийти",
    instances="Екземпляри",
    this_instance="Цей екземпляр: {instance}",
    leader_yes="лідер",
    leader_no="не лідер",
    live_instances="Живі екземпляри: {instances}",
    regions="Регіони",
    regions_note=(
        "Останню зміну графіка читаємо зі спільної бази. Перевірки (запуски, збої, помилка) "
        "рахує лише лідер, що опитує джерела; на іншому екземплярі їх немає."
    ),
    region_col="Регіон",
    last_update_col="Остання зміна",
    checks_col="Перевірки / збої",
    breakers_col="Джерела (запобіжник)",
    last_error_col="Остання помилка",
    checks_value="{runs} / {failures}",
    outbox="Черга надсилання",
    waiting="Чекають: {count}",
    oldest_waiting="Найдавніше чекає: {age}",
    sent="Надіслано цим екземпляром: {sent} ({rate} за хвилину)",
    rate_limited="Відповідей 429: {count}",
    no_sender="Цей екземпляр не надсилає повідомлень.",
    dead_letters="Недоставлені: {count}",
    no_dead_letters="Недоставлених немає.",
    retry="Повторити",
    drop="Відкинути",
    counts="Кількість",
    users="Користувачі: {users} (активні: {active})",
    channels="Канали: {count}",
    monitors="Монітори: {count}",
    pause="Пауза",
    paused_now="Бот на паузі для користувачів.",
    running_now="Бот працює.",
    pause_button="Поставити на паузу",
    resume_button="Відновити",
    never="ніколи",
    minutes_ago="{minutes} хв тому",
    times_note="Час усюди UTC.",
)

EN = AdminWebTexts(
    lang="en",
    bot_link='Dashboard: <a href="{url}">open</a>. The link works once, for {minutes} min.',
    title="Admin dashboard",
    login_title="Dashboard login",
    login_intro="Press the button to log in. The link works once.",
    login_button="Log in",
    login_refused="This link is not valid: it was used or has expired. Send /dashboard to the bot.",
    other_language="Українською",
    log_out="Log out",
    instances="Instances",
    this_instance="This instance: {instance}",
    leader_yes="leader",
    leader_no="not the leader",
    live_instances="Live instances: {instances}",
    regions="Regions",
    regions_note=(
        "The last schedule change is read from the shared database. The checks (runs, "
        "failures, error) are counted only by the leader, which polls the sources; another "
        "instance has none."
    ),
    region_col="Region",
    last_update_col="Last change",
    checks_col="Checks / failures",
    breakers_col="Sources (breaker)",
    last_error_col="Last error",
    checks_value="{runs} / {failures}",
    outbox="Outbox",
    waiting="Waiting: {count}",
    oldest_waiting="Oldest waiting: {age}",
    sent="Sent by this instance: {sent} ({rate} a minute)",
    rate_limited="429 answers: {count}",
    no_sender="This instance sends no messages.",
    dead_letters="Dead letters: {count}",
    no_dead_letters="No dead letters.",
    retry="Retry",
    drop="Drop",
    counts="Counts",
    users="Users: {users} (active: {active})",
    channels="Channels: {count}",
    monitors="Monitors: {count}",
    pause="Pause",
    paused_now="The bot is paused for users.",
    running_now="The bot is running.",
    pause_button="Pause",
    resume_button="Resume",
    never="never",
    minutes_ago="{minutes} min ago",
    times_note="All times are UTC.",
)


def admin_web_texts_for(lang: str | None) -> AdminWebTexts:
    """The dashboard strings of a language code; Ukrainian when unknown."""
    from esvitlo.domain.texts import language_code

    return EN if language_code(lang) == "en" else UK
