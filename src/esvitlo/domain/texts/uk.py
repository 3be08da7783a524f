"""Ukrainian texts (the default language)."""

from __future__ import annotations

from esvitlo.domain.texts import Texts
from esvitlo.domain.texts.bot import BotTexts

TEXTS = Texts(
    lang="uk",
    weekdays=("понеділок", "вівторок", "середа", "четвер", "пʼятниця", "субота", "неділя"),
    months=(
        "січня",
        "лютого",
        "березня",
        "квітня",
        "травня",
        "червня",
        "липня",
        "серпня",
        "вересня",
        "жовтня",
        "листопада",
        "грудня",
    ),
    date="{day} {month}",
    date_time="{date} о {time}",
    today="Сьогодні",
    tomorrow="Завтра",
    hours="{hours} год",
    minutes="{minutes} хв",
    queue_label="Черга {queue}",
    prefer_feed_queue_names=True,
    schedule_title="🗓 <b>{region} · {queue}</b> — графік відключень",
    day_heading="<b>{label}, {weekday}, {date}</b>",
    outage_line="🔴 {interval} ({duration})",
    continues_next_day=" <i>— триває після півночі</i>",
    continued_from_previous_day=" <i>— продовження з попереднього дня</i>",
    total_line="Загалом без світла: <b>{duration}</b>",
    possible_pending_heading="За тижневим графіком можливі відключення:",
    possible_line="🟡 {interval} ({duration})",
    no_outages="🟢 Відключень не заплановано.",
    no_outages_last_known="🟢 В останньому відомому графіку відключень не було.",
    emergency="⚠️ Діють аварійні відключення — графік не застосовується.",
    pending_today="⏳ Графік на сьогодні ще не опубліковано.",
    pending_tomorrow="⏳ Графік на завтра ще не опубліковано.",
    missing_day="❔ Немає даних про графік на цей день.",
    missing_queue="❔ Немає даних про графік цієї черги.",
    updated_at="<i>Графік оновлено {when}</i>",
    fresh="✅ Дані актуальні.",
    stale="⚠️ Дані можуть бути застарілими.",
    stale_since="⚠️ Дані можуть бути застарілими: востаннє їх вдалося оновити {when}.",
    source_error="⚠️ Джерело повідомляє про помилку, тому показано останній відомий графік.",
    truncated="… (повідомлення скорочено)",
    change_title="🔔 <b>{region} · {queue}</b>",
    tomorrow_appeared="📅 <b>Зʼявився графік на завтра, {weekday}, {date}</b>",
    today_appeared="📅 <b>Опубліковано графік на сьогодні, {weekday}, {date}</b>",
    today_changed="🔄 <b>Змінився графік на сьогодні, {weekday}, {date}</b>",
    tomorrow_changed="🔄 <b>Змінився графік на завтра, {weekday}, {date}</b>",
    coverage_added="➕ Додано відключення: {intervals}",
    coverage_removed="➖ Скасовано відключення: {intervals}",
    shifted_line="🔁 Було {old}, стало {new}",
    new_schedule="Новий графік:",
    timer_title="⏱ <b>{region} · {queue}</b>",
    now_on="За графіком зараз: 🟢 світло є",
    now_off="За графіком зараз: 🔴 світла немає ({interval})",
    until_restoration="⏳ Світло має зʼявитися через <b>{wait}</b>, о {time}",
    until_outage="⏳ Відключення через <b>{wait}</b>: {interval} ({duration})",
    later_today="Інші відключення сьогодні:",
    later_line="• {interval} ({duration})",
    nothing_ahead="✅ Більше відключень за графіком немає (графік відомий до кінця {date}).",
    timer_unknown="❔ Графік на сьогодні не опубліковано, тож час відключень невідомий.",
    timer_emergency="⚠️ Діють аварійні відключення — графік не застосовується.",
)

BOT = BotTexts(
    language_name="Українська",
    cmd_start="Почати / головне меню",
    cmd_schedule="Графік відключень",
    cmd_timer="Скільки до відключення чи появи світла",
    cmd_settings="Налаштування сповіщень",
    cmd_help="Допомога",
    btn_schedule="📅 Графік",
    btn_timer="⏱ Таймер",
    btn_addresses="🏠 Мої адреси",
    btn_settings="⚙️ Налаштування",
    btn_channels="📺 Канали",
    btn_help="❓ Допомога",
    btn_back="⬅️ Назад",
    btn_menu="⤴️ Меню",
    btn_prev="◀️",
    btn_next="▶️",
    btn_retry="🔄 Спробувати ще",
    btn_confirm="✅ Підтвердити",
    btn_cancel="Скасувати",
    btn_add_address="➕ Додати адресу",
    btn_rename="✏️ {label}",
    btn_remove="🗑 {label}",
    btn_yes_remove="🗑 Так, видалити",
    welcome=(
        "👋 Вітаю! Я підкажу, коли у вас зникатиме і зʼявлятиметься світло: графік "
        "відключень на сьогодні й завтра, його зміни та нагадування перед відключенням."
    ),
    wizard_region="Оберіть ваш регіон:",
    wizard_queue="Регіон: <b>{region}</b>\nОберіть вашу чергу (групу) відключень:",
    wizard_no_queues="Не вдалося отримати перелік черг для «{region}». Спробуйте трохи пізніше.",
    wizard_confirm="Підписатися на графік?\n\nРегіон: <b>{region}</b>\nЧерга: <b>{queue}</b>",
    subscribed="✅ Готово! <b>{label}</b>: {region}, {queue}.",
    already_subscribed="Ви вже стежите за графіком: {region}, {queue}.",
    limit_reached="Можна мати не більше {limit} адрес. Видаліть одну, щоб додати нову.",
    deep_link_bad="Посилання не вдалося розпізнати, тож оберіть регіон і чергу вручну.",
    expired="Ця кнопка вже застаріла.",
    default_label_first="Дім",
    default_label_next="Адреса {n}",
    menu_title="🏠 <b>Головне меню</b>",
    menu_address="• <b>{label}</b>: {region}, {queue}",
    menu_no_addresses="У вас ще немає адрес — додайте першу.",
    addresses_title="🏠 <b>Ваші адреси</b>",
    address_line="{n}. <b>{label}</b> — {region}, {queue}",
    rename_prompt="Надішліть нову назву для «{label}» (до 32 символів):",
    renamed="Назву змінено: <b>{label}</b>.",
    rename_bad="Назва має містити від 1 до 32 символів. Спробуйте ще раз:",
    remove_confirm="Видалити адресу «{label}» ({region}, {queue})?",
    removed="Адресу видалено.",
    schedule_unavailable="Зараз не вдається отримати графік для «{region}». Спробуйте трохи пізніше.",
    settings_title="⚙️ <b>Налаштування сповіщень</b>",
    opt_changes="Зміни графіка",
    opt_tomorrow="Графік на завтра",
    opt_reminders="Нагадування",
    on_mark="✅",
    off_mark="▫️",
    remind_off_title="Нагадувати перед відключенням:",
    remind_on_title="Нагадувати перед появою світла:",
    minutes_short="{n} хв",
    quiet_hours="🌙 Тихі години (без звуку): {value}",
    quiet_off="вимкнено",
    btn_language="🌐 English",
    btn_delete="🗑 Видалити мої дані",
    delete_confirm="Буде видалено всі ваші адреси, налаштування й канали. Продовжити?",
    delete_confirm_again="Точно видалити? Цю дію не можна скасувати.",
    btn_delete_yes="Так, продовжити",
    btn_delete_final="🗑 Видалити назавжди",
    deleted="Ваші дані видалено. Щоб почати знову, надішліть /start.",
    help=(
        "❓ <b>Що я вмію</b>\n"
        "/schedule — графік відключень на сьогодні й завтра\n"
        "/timer — скільки лишилося до відключення чи появи світла\n"
        "/settings — сповіщення, нагадування, тихі години, мова\n"
        "/start — головне меню\n\n"
        "Щоб публікувати графік у своєму каналі, додайте мене адміністратором каналу."
    ),
    unknown="Я не зрозумів повідомлення.",
    error="😔 Щось пішло не так. Спробуйте ще раз трохи пізніше.",
    paused_default="🛠 Бот тимчасово на технічному обслуговуванні. Повернемося незабаром.",
    channels_title="📺 <b>Ваші канали</b>",
    channels_none=(
        "Щоб публікувати графік у своєму каналі, додайте мене адміністратором каналу з "
        "правом публікувати повідомлення — я напишу вам, щойно це станеться."
    ),
    channel_found="Мене додано в канал «{title}». Графік якої адреси там публікувати?",
    channel_no_rights=(
        "Мене додано в канал «{title}», але без права публікувати повідомлення. "
        "Надайте це право — і я спитаю знову."
    ),
    channel_linked="✅ Канал «{title}» підключено: {label}.",
    channel_line="{mark} <b>{title}</b> — {label}",
    channel_active="🟢",
    channel_paused_mark="⏸",
    channel_lost_mark="⚠️",
    channel_pending_mark="⏳",
    btn_test_post="🧪 Тестовий пост",
    btn_pause="⏸ Пауза",
    btn_resume="▶️ Відновити",
    btn_disconnect="🔌 Відключити",
    channel_test_text="✅ Канал підключено до eSvitlo. Тут зʼявлятиметься графік: {region}, {queue}.",
    channel_test_sent="Тестовий пост опубліковано в «{title}».",
    channel_paused="Публікацію в «{title}» призупинено.",
    channel_resumed="Публікацію в «{title}» відновлено.",
    channel_disconnected="Канал «{title}» відключено.",
    channel_lost=(
        "⚠️ Я більше не можу публікувати в каналі «{title}»: мене видалено або забрано "
        "права. Публікацію зупинено — додайте мене адміністратором знову, щоб відновити."
    ),
    channel_post_failed="Не вдалося опублікувати в «{title}»: {reason}",
    admin_stats=(
        "📊 <b>Статистика</b>\n"
        "Користувачі: {users} (активні: {active})\n"
        "Підписки: {subscriptions}\n"
        "Канали: {channels}\n"
        "У черзі на відправку: {pending}\n\n"
        "{regions}"
    ),
    admin_region_line="{region}: {count}",
    broadcast_usage="Використання: /broadcast текст повідомлення",
    broadcast_queued="Розсилку заплановано: {count} повідомлень.",
    pause_on="Режим паузи увімкнено.",
    pause_off="Режим паузи вимкнено.",
)
