"""Ukrainian texts (the default language)."""

from __future__ import annotations

from esvitlo.domain.texts import Texts
from esvitlo.domain.texts.bot import BotTexts
from esvitlo.domain.texts.power import PowerTexts
from esvitlo.domain.texts.web import WebTexts

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
    possible_all_day="🟡 За тижневим графіком можливі відключення протягом доби.",
    unreadable_line="❓ Не вдалося прочитати графік на {intervals}.",
    no_outages="🟢 Відключень не заплановано.",
    no_outages_last_known="🟢 В останньому відомому графіку відключень не було.",
    emergency="⚠️ Діють аварійні відключення — графік не застосовується.",
    emergency_times="⚠️ Діють аварійні відключення; оператор називає такі години:",
    pending_today="⏳ Графік на сьогодні ще не опубліковано.",
    pending_tomorrow="⏳ Графік на завтра ще не опубліковано.",
    missing_day="❔ Немає даних про графік на цей день.",
    missing_queue="❔ Немає даних про графік цієї черги.",
    updated_at="<i>Графік оновлено {when}</i>",
    fresh="✅ Дані актуальні.",
    stale="⚠️ Дані можуть бути застарілими.",
    stale_since="⚠️ Дані можуть бути застарілими: востаннє їх вдалося оновити {when}.",
    stale_operator="⚠️ Дані можуть бути застарілими: оператор востаннє оновив графік {when}.",
    source_error="⚠️ Джерело повідомляє про помилку, тому показано останній відомий графік.",
    truncated="… (повідомлення скорочено)",
    change_title="🔔 <b>{region} · {queue}</b>",
    tomorrow_appeared="📅 <b>Зʼявився графік на завтра, {weekday}, {date}</b>",
    today_appeared="📅 <b>Опубліковано графік на сьогодні, {weekday}, {date}</b>",
    today_changed="🔄 <b>Змінився графік на сьогодні, {weekday}, {date}</b>",
    tomorrow_changed="🔄 <b>Змінився графік на завтра, {weekday}, {date}</b>",
    emergency_started="🚨 <b>Аварійні відключення, {weekday}, {date}</b>",
    emergency_ended=(
        "✅ <b>Аварійні відключення скасовано, знову діє графік: {weekday}, {date}</b>"
    ),
    coverage_added="➕ Додано відключення: {intervals}",
    coverage_removed="➖ Скасовано відключення: {intervals}",
    shifted_line="🔁 Було {old}, стало {new}",
    list_and=" і ",
    new_mark=" 🆕",
    new_schedule="Новий графік:",
    post_days_changed="🔄 <b>Оновлено графік на сьогодні й завтра</b>",
    post_linked="✅ <b>Канал підключено до eSvitlo</b>: тут зʼявлятимуться графік і його зміни",
    post_test="🧪 <b>Тестовий пост eSvitlo</b>",
    timer_title="⏱ <b>{region} · {queue}</b>",
    timer_label="{title}\n🏠 {label}",
    now_on="За графіком зараз: 🟢 світло є",
    now_off="За графіком зараз: 🔴 світла немає ({interval})",
    until_restoration="⏳ Світло має зʼявитися через <b>{wait}</b>, о {time}",
    until_outage="⏳ Відключення через <b>{wait}</b>: {interval} ({duration})",
    later_today="Інші відключення сьогодні:",
    later_line="• {interval} ({duration})",
    nothing_ahead="✅ Більше відключень за графіком немає (графік відомий до кінця {date}).",
    timer_unknown="❔ Графік на сьогодні не опубліковано, тож час відключень невідомий.",
    timer_emergency="⚠️ Діють аварійні відключення — графік не застосовується.",
    reminder_off="⏰ Через <b>{lead}</b> — відключення: {interval} ({duration})",
    reminder_on="⏰ Через <b>{lead}</b> має зʼявитися світло (о {time})",
    reminder_off_now="⏰ <b>Зараз</b> за графіком починається відключення: {interval} ({duration})",
    reminder_on_now="⏰ <b>Зараз</b> за графіком має зʼявитися світло (о {time})",
    reminder_footer="<i>{region} · {queue}</i>",
    reminder_for="🏠 <b>{label}</b> · {reminder}",
    chart_pending="Графік ще не опубліковано",
    chart_missing="Немає даних",
    chart_emergency="Аварійні відключення",
    chart_outage="Відключення",
    chart_power="Світло є",
    chart_possible="Можливі відключення",
    chart_total="Без світла",
    chart_new="Нове або змінене",
    post_btn_timer="⏰ Таймер",
    post_btn_today="📊 Сьогодні",
    chart_now="Зараз",
    chart_stale="Дані можуть бути застарілими",
    chart_source_error="Помилка джерела: останній відомий графік",
)

BOT = BotTexts(
    lang="uk",
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
    btn_power="💡 Світло вдома",
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
    wizard_confirm="Підписатися на графік?\n\n📍 <b>{region}</b> · <b>{queue}</b>",
    subscribed="✅ Готово! <b>{label}</b>: {region}, {queue}.",
    already_subscribed="Ви вже стежите за графіком: {region}, {queue}.",
    limit_reached="Найбільша кількість адрес — {limit}: ви її досягли. Видаліть одну, щоб додати нову.",
    deep_link_bad="Посилання не вдалося розпізнати, тож оберіть регіон і чергу вручну.",
    btn_subscribe_queue="🔔 Підписатися на цю чергу",
    expired="Ця кнопка вже застаріла.",
    group_private_only="Я показую графіки й адреси лише в особистому чаті, щоб не розкривати їх у групі. Напишіть мені напряму.",
    btn_open_private="💬 Написати боту",
    default_label_first="Дім",
    default_label_next="Адреса {n}",
    no_schedule_region=(
        "📍 <b>{region}</b>\n\n"
        "Оператор цієї області не публікує графік відключень, який ми можемо прочитати. "
        "Тому графіка й черг для неї тут немає: вигадувати їх ми не будемо.\n\n"
        "Що працює всюди: <b>визначення світла вдома</b>. Бот перевіряє ваш роутер або "
        "отримує сигнал (heartbeat) від пристрою вдома і повідомляє, коли світло зникає "
        "та повертається."
    ),
    no_schedule_queue="без графіка",
    btn_home_power="💡 Визначати світло вдома",
    home_power_saved="✅ Адресу <b>{label}</b> збережено: {region}, без графіка.",
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
    opt_tomorrow="Опубліковано новий графік",
    opt_emergency="Аварійні відключення",
    opt_reminders="Нагадування",
    opt_crowd="Позапланові (монітори черги)",
    opt_crowd_auto="🔄 Позапланові (монітори черги): авто",
    opt_crowd_plan="Раніше / пізніше за графік",
    on_mark="✅",
    off_mark="▫️",
    minutes_short="{n} хв",
    leads_off_line="⏰ Нагадування перед відключенням: {value}",
    leads_on_line="💡 Нагадування перед появою світла: {value}",
    leads_none="немає",
    lead_now="у момент",
    btn_lead_now="у момент",
    lead_before="за {n} хв",
    btn_leads_off="⏰ Перед відключенням",
    btn_leads_on="💡 Перед появою світла",
    leads_off_title="⏰ <b>Нагадування перед відключенням</b>\nОберіть, коли нагадувати (можна кілька варіантів).",
    leads_on_title="💡 <b>Нагадування перед появою світла</b>\nОберіть, коли нагадувати (можна кілька варіантів).",
    quiet_hours="🌙 Тихі години (без звуку): {value}",
    quiet_off="вимкнено",
    btn_quiet="🌙 Тихі години",
    quiet_start_prompt="🌙 <b>Тихі години</b>\nУ цей час сповіщення приходять без звуку. Зараз: {value}.\n\nОберіть, о котрій вони починаються:",
    quiet_end_prompt="🌙 <b>Тихі години</b> з {start}\n\nОберіть, о котрій вони закінчуються:",
    btn_quiet_off="🔔 Вимкнути тихі години",
    btn_language="🌐 English",
    btn_delete="🗑 Видалити мої дані",
    delete_confirm="Буде видалено всі ваші адреси, налаштування й канали. Продовжити?",
    delete_confirm_again="Точно видалити? Цю дію не можна скасувати.",
    btn_delete_yes="Так, продовжити",
    btn_delete_final="🗑 Видалити назавжди",
    deleted="Ваші дані видалено. Щоб почати знову, надішліть /start.",
    help=(
        "❓ <b>Що я вмію</b>\n"
        "/menu — головне меню: адреси, канали, світло вдома\n"
        "/schedule — графік відключень на сьогодні й завтра\n"
        "/timer — скільки лишилося до відключення чи появи світла\n"
        "/settings — сповіщення, нагадування, тихі години, мова\n"
        "/feedback — написати адміністраторам бота\n"
        "/start — додати адресу (регіон і чергу)\n\n"
        "🏠 <b>Адреси</b>: до кількох адрес із власними назвами («Мої адреси» в меню).\n"
        "💡 <b>Світло вдома</b>: бот перевіряє ваш роутер або чекає сигналу від пристрою вдома й каже, коли світло зникло чи зʼявилося.\n"
        "📺 <b>Канали</b>: додайте мене адміністратором свого каналу — і я публікуватиму там графік і його зміни."
    ),
    unknown="Я не зрозумів повідомлення.",
    error="😔 Щось пішло не так. Спробуйте ще раз трохи пізніше.",
    paused_default="🛠 Бот тимчасово на технічному обслуговуванні. Повернемося незабаром.",
    paused_update="🛠 Встановлюємо оновлення бота. Повернемося за кілька хвилин.",
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
    btn_post_new="🆕 Новий пост",
    btn_post_new_delete="🗑 Новий пост, старий видалити",
    btn_post_edit="✏️ Редагувати пост",
    channel_test_sent="🧪 Тестовий пост із поточним графіком зʼявиться в «{title}» за кілька секунд.",
    channel_paused="Публікацію в «{title}» призупинено.",
    channel_resumed="Публікацію в «{title}» відновлено.",
    channel_disconnected="Канал «{title}» відключено.",
    channel_lost=(
        "⚠️ Я більше не можу публікувати в каналі «{title}»: мене видалено або забрано "
        "права. Публікацію зупинено — додайте мене адміністратором знову, щоб відновити."
    ),
    btn_add_to_channel="➕ Додати мене в канал",
    channel_first_post="Поточний графік зʼявиться в каналі за кілька секунд.",
    channel_no_schedule="Графік цієї адреси зараз недоступний: перший пост зʼявиться, щойно він оновиться.",
    channel_region_no_schedule=(
        "Для регіону цієї адреси немає графіка, який ми можемо прочитати, тож постів із "
        "графіком не буде. Якщо налаштуєте визначення світла вдома, сюди приходитимуть "
        "пости про світло."
    ),
    channel_style_set="Канал «{title}», нові графіки: {style}.",
    # groups as destinations, caption styles and templates
    group_found="👥 Мене додано до групи «{title}». Графік якої адреси там публікувати?",
    group_not_admin=(
        "Мене додано до групи «{title}», але підключити публікацію графіка може лише "
        "адміністратор групи."
    ),
    group_topic_hint=(
        "У групі з темами пости зʼявлятимуться в загальній темі. Щоб обрати іншу, надішліть "
        "/here у потрібній темі."
    ),
    group_here_topic="✅ Графік відключень публікуватиметься в цій темі.",
    group_here_general="✅ Графік відключень публікуватиметься в загальній темі.",
    group_here_refused="Обрати тему для графіка може лише адміністратор групи, який підключив бота.",
    group_here_unlinked=(
        "Бота ще не підключено до цієї групи: адміністратор може зробити це в особистому чаті "
        "з ботом."
    ),
    btn_add_to_group="➕ Додати мене в групу",
    btn_caption_full="📝 Повний підпис",
    btn_caption_picture="🖼 Лише картинка",
    btn_caption_template="✍️ Шаблон підпису",
    btn_post_buttons_on="🔗 Кнопки: так",
    btn_post_buttons_off="🔗 Кнопки: ні",
    channel_buttons_on="Під постами в «{title}» будуть кнопки ⏰ Таймер і 📊 Сьогодні.",
    channel_buttons_off="Пости в «{title}» виходитимуть без кнопок.",
    btn_weekly_on="📊 Щотижневий підсумок: так",
    btn_weekly_off="📊 Щотижневий підсумок: ні",
    channel_weekly_on=(
        "Щопонеділка в «{title}» виходитиме підсумок тижня: скільки світла не було за фактом"
        " і за графіком (якщо черга має монітори щонайменше трьох користувачів)."
    ),
    channel_weekly_off="Щотижневого підсумку в «{title}» більше не буде.",
    weekly_post=(
        "📊 <b>Підсумок тижня {since} – {until}</b>\n"
        "{region}, {queue}\n"
        "Без світла у дні з графіком: за фактом {fact}, за графіком {planned}\n"
        "Відключення почалися вчасно (±15 хв): {starts_on_time} з {starts};"
        " закінчилися вчасно: {ends_on_time} з {ends}\n"
        "Позапланових відключень: {unplanned}\n"
        "<i>За моніторами користувачів цієї черги.</i>"
    ),
    btn_template_reset="↩️ Типовий підпис",
    channel_caption_set="«{title}», підпис до поста: {style}.",
    template_prompt=(
        "✍️ <b>Шаблон підпису для «{title}»</b>\n"
        "Надішліть текст підпису. Можна вставляти:\n"
        "{{region}} — регіон, {{queue}} — черга, {{changes}} — що змінилося, "
        "{{schedule}} — графік, {{updated}} — коли оновлено.\n"
        "До {limit} символів разом із підставленим; довгий графік буде скорочено.\n\n"
        "Зараз: {current}"
    ),
    template_default="типовий підпис",
    template_saved="✅ Шаблон збережено. Так виглядатиме підпис:\n\n{preview}",
    template_reset_done="↩️ Повернено типовий підпис:\n\n{preview}",
    template_empty="Шаблон порожній. Надішліть текст або поверніться до меню.",
    template_malformed=(
        "У шаблоні зайва або незакрита фігурна дужка. Для самої дужки напишіть її двічі: {{ або }}."
    ),
    template_unknown="Невідома вставка {{{name}}}. Можна: {names}.",
    template_too_long="Підпис задовгий: його довжина — {length}, а Telegram дозволяє щонайбільше {limit}. Скоротіть шаблон.",
    admin_stats=(
        "📊 <b>Статистика</b>\n"
        "Користувачі: {users} (активні: {active})\n"
        "Підписки: {subscriptions}\n"
        "Канали: {channels}\n"
        "У черзі на відправку: {pending}\n\n"
        "{regions}"
    ),
    admin_region_line="{region}: {count}",
    admin_plan_fact=(
        "📉 <b>План і факт за 7 днів</b> (черг із моніторами щонайменше трьох користувачів:"
        " {queues})\n"
        "Без світла у дні з графіком: за фактом {fact}, за графіком {planned}\n"
        "Почалися вчасно (±15 хв): {starts_on_time} з {starts}; закінчилися вчасно:"
        " {ends_on_time} з {ends}\n"
        "Позапланових відключень: {unplanned}; світло було попри графік: {kept}"
    ),
    admin_plan_fact_line="{region}, {queue}: за фактом {fact}, за графіком {planned}",
    admin_plan_fact_none=(
        "📉 План і факт: жодна черга ще не має моніторів щонайменше трьох користувачів."
    ),
    broadcast_usage="Використання: /broadcast текст повідомлення",
    broadcast_queued="Розсилку заплановано: {count}.",
    messages_forms=("повідомлення", "повідомлення", "повідомлень"),
    pause_on="Режим паузи увімкнено.",
    pause_off="Режим паузи вимкнено.",
    btn_feedback="✉️ Написати нам",
    feedback_prompt="Напишіть одним повідомленням, що працює не так або що додати. Його прочитають адміністратори бота й відповідять тут.",
    feedback_sent="✅ Дякуємо! Повідомлення передано адміністраторам.",
    feedback_too_many="Ви вже надіслали кілька повідомлень поспіль. Спробуйте через {minutes} хв.",
    feedback_empty="Надішліть, будь ласка, текст повідомлення.",
    feedback_to_admin="✉️ <b>Відгук</b> від {name} (id <code>{user_id}</code>):\n\n{text}\n\nВідповісти: <code>/reply {user_id} текст</code>",
    reply_usage="Використання: /reply id_користувача текст відповіді",
    reply_sent="Відповідь поставлено в чергу для {user_id}.",
    reply_unknown_user="Користувача {user_id} немає серед користувачів бота.",
    reply_to_user="✉️ <b>Відповідь від адміністраторів</b>\n\n{text}",
    error_report="⚠️ <b>Помилка в боті</b>\nДе: {where}\nПомилка: <code>{error}</code>\nОновлення: {update}\n(однакові помилки повідомляються не частіше ніж раз на 10 хв)",
    admin_system=(
        "🖥 <b>Система</b>\n"
        "Версія: {version}\n"
        "Цей екземпляр: <code>{instance}</code> (працює {uptime})\n"
        "Екземпляри: {instances}\n"
        "Лідер: {leader}\n"
        "База даних: {database}\n"
        "Redis: {redis}"
    ),
    admin_user_usage="Використання: /user id_користувача",
    admin_user_unknown="Користувача {user_id} не знайдено.",
    admin_user_card=(
        "👤 <b>Користувач</b> <code>{user_id}</code>\n"
        "Мова: {language} · {state} · з {since}\n"
        "Адреси: {addresses}\n"
        "Монітори: {monitors} · канали: {channels}\n"
        "У черзі на відправку: {pending}"
    ),
    admin_user_active="активний",
    admin_user_inactive="заблокував бота",
    admin_users_title="👥 <b>Користувачі</b> ({query}): найновіші {shown} з {total}",
    admin_users_line="<code>{user_id}</code> · {language} · {state} · адрес: {addresses} · {regions}",
    admin_users_none="Користувачів ({query}) не знайдено.",
    admin_users_all="усі",
    admin_settings=(
        "⚙️ <b>Налаштування під час роботи</b>\n"
        "{lines}\n\n"
        "Змінити: /set назва значення · повернути з середовища: /set назва default"
    ),
    admin_setting_line="<code>{name}</code> = {value} {unit} ({source}; межі: {bounds})",
    admin_setting_stored="задано адміністратором",
    admin_setting_env="із середовища",
    admin_unit_seconds="с",
    admin_observations_forms=("спостереження", "спостереження", "спостережень"),
    admin_set_usage="Використання: /set назва значення (або default). Назви: {names}.",
    admin_set_done=(
        "✅ <code>{name}</code> = {value} {unit}. Збережено й застосовано на всіх екземплярах "
        "з їхнього наступного циклу."
    ),
    admin_set_reset="↩️ <code>{name}</code> знову із середовища: {value} {unit}.",
    admin_set_unknown="Невідоме налаштування «{name}». Можна: {names}.",
    admin_set_not_number="<code>{name}</code>: «{value}» — не число. Нічого не змінено.",
    admin_set_not_whole="<code>{name}</code>: потрібне ціле число, а не {value}. Нічого не змінено.",
    admin_set_out_of_bounds=(
        "<code>{name}</code>: {value} поза межами ({bounds}). Нічого не змінено."
    ),
    yes="так",
    no="ні",
)


POWER = PowerTexts(
    lang="uk",
    went_off="🔴 <b>Світло зникло</b> о {time} · {label}",
    came_back="🟢 <b>Світло зʼявилося</b> о {time} · {label}",
    was_on_for="Було {duration}.",
    was_off_for="Не було {duration}.",
    schedule_expects_restoration="За графіком світло мало б повернутися о {time}.",
    schedule_restoration_unknown="За графіком зараз відключення; коли повернеться, графік не каже.",
    not_in_schedule="Цього відключення немає в графіку.",
    schedule_expects_outage_until="За графіком зараз відключення до {time}.",
    next_planned_outage="Наступне відключення за графіком: {interval}.",
    no_planned_outages="Відключень за графіком більше не заплановано.",
    refusal_unspecified="Це порожня адреса (самі нулі): вона нікуди не веде.",
    refusal_loopback="Ця адреса вказує на сам компʼютер (loopback), а не на ваш дім.",
    refusal_private="Це приватна адреса: вона діє лише всередині домашньої чи офісної мережі, з інтернету до неї не достукатися. Вкажіть публічну адресу роутера або скористайтеся сигналом від пристрою вдома.",
    refusal_shared="Ця адреса з внутрішньої мережі провайдера (CGNAT, 100.64.0.0/10): з інтернету до неї не достукатися. Скористайтеся сигналом від пристрою вдома.",
    refusal_link_local="Це локальна адреса каналу (link-local): вона діє лише між пристроями в одній мережі.",
    refusal_site_local="Це застаріла site-local адреса IPv6: вона діє лише всередині мережі однієї організації.",
    refusal_multicast="Це групова (multicast) адреса: вона для розсилки групам пристроїв, а не для одного роутера.",
    refusal_broadcast="Це широкомовна (broadcast) адреса: вона означає всі пристрої мережі одразу.",
    refusal_documentation="Ця адреса зарезервована для прикладів у документації: жоден справжній пристрій її не має.",
    refusal_reserved="Ця адреса зарезервована для особливих потреб: домашній роутер не може її мати.",
    refusal_embedded="Ця адреса IPv6 містить усередині приватну чи особливу адресу IPv4 (6to4, Teredo або NAT64), тож веде у приватну мережу.",
    target_empty="Адреса порожня. Надішліть публічну IP-адресу роутера або його імʼя (наприклад myhome.ddns.net).",
    target_too_long="Адреса задовга.",
    target_bad_url="Не вдалося прочитати посилання. Надішліть його як http://імʼя:порт/ або https://імʼя/.",
    target_bad_scheme="Перевіряти можна лише посилання http:// та https://; або надішліть просто адресу.",
    target_credentials="Не додавайте логін чи пароль в адресу: вони нам не потрібні.",
    target_bad_port="Порт має бути числом від 1 до 65535.",
    target_bad_host="Це не схоже на IP-адресу чи імʼя хоста.",
    target_bare_name="Вкажіть повне імʼя з крапкою, наприклад myhome.ddns.net: імена без домену (як router чи localhost) діють лише всередині мережі, тож ми їх не перевіряємо.",
    target_port_not_allowed="Цей порт ми не перевіряємо. Можна лише порти, на яких зазвичай відкривають роутер: {ports}, або адреса без порту. Прокиньте на роутері один із них або скористайтеся сигналом від пристрою.",
    target_refused="Цю адресу не можна відстежувати.",
    no_public_address="Ми перевіряємо лише публічні адреси в інтернеті, а це імʼя не веде на жодну.",
    check_target="адреса",
    check_addresses="знайдено",
    check_result="результат",
    check_time="{ms} мс",
    check_answered="відповідає ({method})",
    check_silent="не відповідає",
    check_dns_failed="не вдалося знайти це імʼя",
    check_not_checked="не вдалося перевірити ({detail})",
    screen_title="💡 <b>Світло вдома</b>",
    screen_intro="Бот може сам помічати, чи є світло у вас вдома, і повідомляти, коли його вимкнули чи увімкнули. Для цього до адреси додають монітор: 🌐 <b>перевірку адреси</b> (бот стукає до вашого роутера з інтернету) або 📡 <b>сигнал</b> (пристрій удома сам викликає секретне посилання, поки є світло).",
    screen_none="Моніторів ще немає.",
    need_address="Спершу додайте адресу (чергу): монітор привʼязується до неї.",
    limit_reached="Найбільша кількість моніторів — {limit}: ви її досягли. Видаліть один, щоб додати новий.",
    monitor_line="{mark} <b>{label}</b> · {kind}",
    kind_probe="перевірка {target}",
    kind_heartbeat="сигнал кожні {every}",
    state_on="🟢 Світло є з {since}",
    state_off="🔴 Світла немає з {since}",
    state_unknown="⚪ Поки невідомо: чекаємо на перші перевірки",
    since_or_earlier="{since} або раніше",
    last_beat="Останній сигнал: {when}",
    no_beat_yet="Сигналів ще не було.",
    notify_line="Повідомляти: {who}",
    page_line='Сторінка монітора (лише для перегляду): <a href="{url}">відкрити</a>',
    who_me="мене",
    who_channel="мій канал",
    who_both="мене і канал",
    no_channel_hint="До цієї адреси не привʼязано каналу: підключіть його в розділі «Канали».",
    period_seconds="{n} с",
    period_minutes="{n} хв",
    btn_add="➕ Додати монітор",
    btn_probe="🌐 Перевіряти адресу",
    btn_heartbeat="📡 Сигнал від пристрою",
    btn_save_anyway="💾 Зберегти все одно",
    btn_stats="📊 Статистика",
    btn_new_link="🔑 Нове посилання",
    btn_yes_new_link="🔑 Так, нове посилання",
    btn_remove="🗑 Видалити монітор",
    btn_yes_remove="Так, видалити",
    btn_notify_me="🔔 Мені",
    btn_notify_channel="📢 Каналу",
    btn_notify_both="🔔📢 Обом",
    pick_address="До якої адреси додати монітор?",
    pick_kind="Як дізнаватися про світло за адресою <b>{label}</b>?\n\n🌐 <b>Перевірка адреси</b>: бот раз на {every} стукає до вашого роутера з інтернету. Потрібна публічна (біла) IP-адреса або DDNS-імʼя, і роутер має відповідати ззовні.\n📡 <b>Сигнал</b>: пристрій удома (ESP32, MikroTik, Home Assistant, компʼютер) сам викликає секретне посилання. Працює за будь-якого інтернету, навіть без публічної адреси.",
    ask_target="Надішліть публічну IP-адресу роутера або його DDNS-імʼя, за потреби з портом. Наприклад: <code>93.184.216.34</code>, <code>myhome.ddns.net:8291</code>, <code>[2a01:4f8::1]:443</code>.",
    target_not_accepted="❌ {reason}\n\nНадішліть іншу адресу або оберіть сигнал від пристрою.",
    probe_answered="✅ Монітор додано: <b>{target}</b> доступний.",
    probe_unreachable="⚠️ <b>{target}</b> зараз недоступний.\nМи перевіряємо лише публічні адреси в інтернеті: переконайтеся, що адреса правильна. Більшість домашніх роутерів мовчать на запити з інтернету. Щоб перевірка працювала, відкрийте або прокиньте на роутері порт (наприклад, 80, 443 чи 8291 у MikroTik) і вкажіть його в адресі, або дозвольте ping (ICMP) ззовні. Або скористайтеся сигналом від пристрою.\n\nЗберегти все одно? Поки роутер мовчить, бот вважатиме, що світла немає.",
    probe_too_many="⏳ Забагато перевірок поспіль. Спробуйте ще раз за {minutes} хв.",
    ask_period="Як часто пристрій надсилатиме сигнал? Що частіше, то швидше бот помітить відключення.",
    heartbeat_added="✅ Монітор-сигнал для <b>{label}</b> додано.\n\nПристрій має викликати це посилання (GET або POST) кожні {every}, поки є світло:\n<code>{url}</code>\nНе показуйте посилання стороннім.",
    heartbeat_renewed="🔑 Нове посилання для <b>{label}</b> готове, старе вже не працює.\n\nПристрій має викликати це посилання (GET або POST) кожні {every}, поки є світло:\n<code>{url}</code>\nНе показуйте посилання стороннім.",
    link_shown_once="🔒 Бот зберігає лише відбиток посилання й не зможе показати його знову: збережіть його зараз. Загубили — зробіть нове на екрані монітора (🔑 Нове посилання).",
    new_link_confirm="Зробити нове посилання для монітора <b>{label}</b>?\n\nСтаре посилання перестане працювати одразу, тож пристрій доведеться налаштувати заново. Посилання показується лише раз, коли його зроблено.",
    local_base_warning="⚠️ Адреса сервера {base} доступна лише в локальній мережі: пристрої з інтернету не зможуть її викликати. Адміністратор бота має задати ESVITLO_PUBLIC_URL.",
    snippet_curl="Linux, NAS чи роутер з cron (curl):",
    snippet_mikrotik="MikroTik (RouterOS, термінал):",
    snippet_home_assistant="Home Assistant (configuration.yaml):",
    snippet_esp32="ESP32 / Arduino:",
    remove_confirm="Видалити монітор <b>{label}</b> разом з історією відключень?",
    removed="Монітор видалено.",
    notify_set="Готово, повідомлятиму: {who}.",
    stats_title="📊 <b>{label}</b>: статистика світла",
    stats_window="<b>За {days} днів</b>",
    stats_watched_from="(монітор працює з {since})",
    stats_not_watched="Монітора тоді ще не було.",
    stats_no_outages="Відключень не було.",
    stats_count="Відключень: {count}",
    stats_total="Загалом без світла: {duration}",
    stats_average="У середньому: {duration}",
    stats_longest="Найдовше: {duration}",
    stats_share="Світло було {percent}% часу",
    stats_ongoing="Відключення триває зараз.",
    plan_unknown="Графіка за цей час немає: порівняти ні з чим.",
    plan_matched="Збіглися з графіком: {count}",
    plan_start="Вимикали в середньому {offset}",
    plan_end="Вмикали в середньому {offset}",
    offset_later="на {minutes} хв пізніше за графік",
    offset_earlier="на {minutes} хв раніше за графік",
    offset_on_time="вчасно",
    plan_unplanned="Поза графіком: {count}",
    plan_kept="За графіком, але світло було: {count}",
    chart_caption="📈 <b>{label}</b>: останні 7 днів",
    chart_title="{label} · {period}",
    chart_real="Відключення",
    chart_planned="За графіком",
    chart_power="Світло є",
    chart_unwatched="Без спостереження",
    chart_weekdays="Пн Вт Ср Чт Пт Сб Нд",
    crowd_outage=(
        "⚠️ <b>Схоже, позапланове відключення</b> · {queue}, {region}\n"
        "З {time} більшість моніторів світла в черзі без світла, хоча за графіком світло є."
    ),
    crowd_back=(
        "🟢 <b>Світло повертається</b> · {queue}, {region}\n"
        "З {time} більшість моніторів світла в черзі знову зі світлом."
    ),
    crowd_early=(
        "🟢 <b>Світло повернулося раніше за графіком</b> · {queue}, {region}\n"
        "За моніторами черги о {time}, за графіком о {planned}: на {duration} раніше."
    ),
    crowd_late=(
        "🟢 <b>Світло повернулося пізніше за графік</b> · {queue}, {region}\n"
        "За моніторами черги о {time}, за графіком о {planned}: на {duration} пізніше."
    ),
    crowd_queue_off="👥 В інших у черзі теж немає світла: схоже, відключення всієї черги.",
    crowd_only_you=(
        "👥 В інших у черзі світло є: схоже, лише у вас. Перевірте автомат або роутер."
    ),
    svitlobot_ping=(
        "Пристрій із прошивкою для Світлобота: замініть лише адресу на\n<code>{url}</code>\n"
        "Ключ (channel_key): <code>{key}</code>"
    ),
)

WEB = WebTexts(
    lang="uk",
    site_name="єСвітло",
    regions_title="Графіки відключень світла",
    regions_intro="Оберіть область, потім свою чергу: графік на сьогодні й завтра, найближче відключення і скільки до нього лишилось.",
    region_no_schedule="оператор не публікує графік, який ми можемо прочитати",
    region_no_schedule_long="{region}: оператор не публікує графік відключень, який ми можемо прочитати, тому тут його немає.",
    region_not_checked="Графік цієї області ще не отримано. Спробуйте за хвилину.",
    queues_title="{region}: черги",
    queue_page_title="{region} · {queue}",
    og_description="{region}, {queue}: графік відключень на сьогодні та завтра",
    all_regions="Усі області",
    all_queues="Усі черги: {region}",
    other_language="English",
    power_on_now="Зараз світло є (за графіком)",
    power_off_now="Зараз відключення (за графіком)",
    power_unknown_now="Графік на зараз невідомий",
    emergency_now="Діють аварійні відключення — графік не застосовується",
    next_outage="Наступне відключення: {time}",
    next_restoration="Світло повернеться: {time}",
    countdown="через {wait}",
    nothing_ahead="У відомому графіку відключень попереду немає",
    chart_label="Графік відключень на сьогодні та завтра",
    legend_outage="Відключення",
    legend_possible="Можливе відключення",
    legend_power="Світло є",
    legend_unknown="Немає даних",
    outage_row="{interval} ({duration})",
    continues_next_day="триває після півночі",
    total="Загалом без світла: {duration}",
    no_outages="Відключень не заплановано",
    pending_day="Графік ще не опубліковано",
    possible_heading="За тижневим графіком можливі відключення:",
    missing_day="Немає даних про графік на цей день",
    missing_queue="Немає даних про графік цієї черги",
    emergency_day="Аварійні відключення — графік не застосовується",
    emergency_day_times="Аварійні відключення; оператор називає такі години:",
    fresh="Дані актуальні",
    stale="Дані можуть бути застарілими",
    source_error="Джерело повідомляє про помилку, тому показано останній відомий графік",
    updated_at="Оператор оновив графік {when}",
    checked_at="Перевірено {when}",
    times_note="Час київський.",
    refresh_note="Сторінка оновлюється сама, коли змінюється графік; без JavaScript оновіть її вручну.",
    not_found="Сторінку не знайдено",
    not_found_hint="Такої області або черги немає.",
    crowd_heading="Монітори користувачів",
    crowd_on="Зараз у більшості домів цієї черги світло є.",
    crowd_off="Зараз більшість домів цієї черги без світла.",
    crowd_mixed="Монітори цієї черги зараз розходяться: у частини домів світло є, у частини немає.",
    crowd_note=(
        "Це заміри домашніх моніторів наших користувачів (щонайменше трьох), а не дані"
        " постачальника."
    ),
    monitor_heading="Світло вдома",
    monitor_week="Тиждень: відключення за монітором і за графіком",
    monitor_private="Сторінка відкривається лише за секретним посиланням з бота.",
)
