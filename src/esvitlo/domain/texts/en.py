"""English texts."""

from __future__ import annotations

from esvitlo.domain.texts import Texts
from esvitlo.domain.texts.bot import BotTexts

TEXTS = Texts(
    lang="en",
    weekdays=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    months=(
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    date="{day} {month}",
    date_time="{date} at {time}",
    today="Today",
    tomorrow="Tomorrow",
    hours="{hours} h",
    minutes="{minutes} min",
    queue_label="Queue {queue}",
    prefer_feed_queue_names=False,
    schedule_title="🗓 <b>{region} · {queue}</b> — outage schedule",
    day_heading="<b>{label}, {weekday}, {date}</b>",
    outage_line="🔴 {interval} ({duration})",
    continues_next_day=" <i>— continues after midnight</i>",
    continued_from_previous_day=" <i>— continued from the previous day</i>",
    total_line="Total without power: <b>{duration}</b>",
    possible_pending_heading="Possible outages by the weekly template:",
    possible_line="🟡 {interval} ({duration})",
    no_outages="🟢 No outages planned.",
    no_outages_last_known="🟢 The last known schedule had no outages for this day.",
    emergency="⚠️ Emergency outages are in force — the schedule does not apply.",
    pending_today="⏳ Today's schedule has not been published yet.",
    pending_tomorrow="⏳ Tomorrow's schedule has not been published yet.",
    missing_day="❔ There is no schedule data for this day.",
    missing_queue="❔ There is no schedule data for this queue.",
    updated_at="<i>Schedule updated {when}</i>",
    fresh="✅ The data is up to date.",
    stale="⚠️ The data may be outdated.",
    stale_since="⚠️ The data may be outdated: it was last refreshed {when}.",
    source_error="⚠️ The source reports an error, so the last known schedule is shown.",
    truncated="… (message shortened)",
    change_title="🔔 <b>{region} · {queue}</b>",
    tomorrow_appeared="📅 <b>Tomorrow's schedule is out: {weekday}, {date}</b>",
    today_appeared="📅 <b>Today's schedule is out: {weekday}, {date}</b>",
    today_changed="🔄 <b>Today's schedule has changed: {weekday}, {date}</b>",
    tomorrow_changed="🔄 <b>Tomorrow's schedule has changed: {weekday}, {date}</b>",
    coverage_added="➕ Outage added: {intervals}",
    coverage_removed="➖ Outage cancelled: {intervals}",
    shifted_line="🔁 Was {old}, now {new}",
    new_schedule="New schedule:",
    timer_title="⏱ <b>{region} · {queue}</b>",
    now_on="By schedule now: 🟢 power on",
    now_off="By schedule now: 🔴 power off ({interval})",
    until_restoration="⏳ Power back in <b>{wait}</b>, at {time}",
    until_outage="⏳ Next outage in <b>{wait}</b>: {interval} ({duration})",
    later_today="Other outages today:",
    later_line="• {interval} ({duration})",
    nothing_ahead="✅ No more outages in the schedule (known through {date}).",
    timer_unknown="❔ Today's schedule is not published, so outage times are unknown.",
    timer_emergency="⚠️ Emergency outages are in force — the schedule does not apply.",
)

BOT = BotTexts(
    language_name="English",
    cmd_start="Start / main menu",
    cmd_schedule="Outage schedule",
    cmd_timer="Time until the next outage or restoration",
    cmd_settings="Notification settings",
    cmd_help="Help",
    btn_schedule="📅 Schedule",
    btn_timer="⏱ Timer",
    btn_addresses="🏠 My addresses",
    btn_settings="⚙️ Settings",
    btn_channels="📺 Channels",
    btn_help="❓ Help",
    btn_back="⬅️ Back",
    btn_menu="⤴️ Menu",
    btn_prev="◀️",
    btn_next="▶️",
    btn_retry="🔄 Try again",
    btn_confirm="✅ Confirm",
    btn_cancel="Cancel",
    btn_add_address="➕ Add an address",
    btn_rename="✏️ {label}",
    btn_remove="🗑 {label}",
    btn_yes_remove="🗑 Yes, remove",
    welcome=(
        "👋 Hello! I tell you when your power goes off and comes back: today's and "
        "tomorrow's outage schedule, its changes and reminders before an outage."
    ),
    wizard_region="Choose your region:",
    wizard_queue="Region: <b>{region}</b>\nChoose your outage queue (group):",
    wizard_no_queues="Could not get the list of queues for “{region}”. Please try again later.",
    wizard_confirm="Follow this schedule?\n\nRegion: <b>{region}</b>\nQueue: <b>{queue}</b>",
    subscribed="✅ Done! <b>{label}</b>: {region}, {queue}.",
    already_subscribed="You already follow this schedule: {region}, {queue}.",
    limit_reached="You can have at most {limit} addresses. Remove one to add another.",
    deep_link_bad="That link was not recognised, so please choose the region and queue.",
    expired="This button has expired.",
    default_label_first="Home",
    default_label_next="Address {n}",
    menu_title="🏠 <b>Main menu</b>",
    menu_address="• <b>{label}</b>: {region}, {queue}",
    menu_no_addresses="You have no addresses yet — add the first one.",
    addresses_title="🏠 <b>Your addresses</b>",
    address_line="{n}. <b>{label}</b> — {region}, {queue}",
    rename_prompt="Send a new name for “{label}” (up to 32 characters):",
    renamed="Renamed: <b>{label}</b>.",
    rename_bad="The name must be 1 to 32 characters long. Try again:",
    remove_confirm="Remove the address “{label}” ({region}, {queue})?",
    removed="Address removed.",
    schedule_unavailable="The schedule for “{region}” cannot be fetched right now. Try again later.",
    settings_title="⚙️ <b>Notification settings</b>",
    opt_changes="Schedule changes",
    opt_tomorrow="Tomorrow's schedule",
    opt_reminders="Reminders",
    on_mark="✅",
    off_mark="▫️",
    remind_off_title="Remind me before an outage:",
    remind_on_title="Remind me before power returns:",
    minutes_short="{n} min",
    quiet_hours="🌙 Quiet hours (silent): {value}",
    quiet_off="off",
    btn_language="🌐 Українська",
    btn_delete="🗑 Delete my data",
    delete_confirm="All your addresses, settings and channels will be deleted. Continue?",
    delete_confirm_again="Are you sure? This cannot be undone.",
    btn_delete_yes="Yes, continue",
    btn_delete_final="🗑 Delete forever",
    deleted="Your data has been deleted. Send /start to begin again.",
    help=(
        "❓ <b>What I can do</b>\n"
        "/schedule — today's and tomorrow's outage schedule\n"
        "/timer — time left until an outage or until power returns\n"
        "/settings — alerts, reminders, quiet hours, language\n"
        "/start — main menu\n\n"
        "To publish the schedule in your channel, add me as an administrator of the channel."
    ),
    unknown="I did not understand that message.",
    error="😔 Something went wrong. Please try again a bit later.",
    paused_default="🛠 The bot is down for maintenance for a while. We will be back soon.",
    channels_title="📺 <b>Your channels</b>",
    channels_none=(
        "To publish the schedule in your channel, add me as an administrator who may post "
        "messages — I will write to you as soon as that happens."
    ),
    channel_found="I was added to the channel “{title}”. Which address should I publish there?",
    channel_no_rights=(
        "I was added to the channel “{title}” but may not post messages there. Grant that "
        "right and I will ask again."
    ),
    channel_linked="✅ Channel “{title}” connected: {label}.",
    channel_line="{mark} <b>{title}</b> — {label}",
    channel_active="🟢",
    channel_paused_mark="⏸",
    channel_lost_mark="⚠️",
    channel_pending_mark="⏳",
    btn_test_post="🧪 Test post",
    btn_pause="⏸ Pause",
    btn_resume="▶️ Resume",
    btn_disconnect="🔌 Disconnect",
    channel_test_text="✅ This channel is connected to eSvitlo. The schedule will appear here: {region}, {queue}.",
    channel_test_sent="A test post was published in “{title}”.",
    channel_paused="Publishing to “{title}” is paused.",
    channel_resumed="Publishing to “{title}” is resumed.",
    channel_disconnected="Channel “{title}” disconnected.",
    channel_lost=(
        "⚠️ I can no longer post in the channel “{title}”: I was removed or lost my rights. "
        "Publishing has stopped — make me an administrator again to resume."
    ),
    channel_post_failed="Could not post in “{title}”: {reason}",
    admin_stats=(
        "📊 <b>Statistics</b>\n"
        "Users: {users} (active: {active})\n"
        "Subscriptions: {subscriptions}\n"
        "Channels: {channels}\n"
        "Pending messages: {pending}\n\n"
        "{regions}"
    ),
    admin_region_line="{region}: {count}",
    broadcast_usage="Usage: /broadcast message text",
    broadcast_queued="Broadcast queued: {count} messages.",
    pause_on="Pause mode is on.",
    pause_off="Pause mode is off.",
)
