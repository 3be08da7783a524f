"""English texts."""

from __future__ import annotations

from esvitlo.domain.texts import Texts
from esvitlo.domain.texts.bot import BotTexts
from esvitlo.domain.texts.power import PowerTexts
from esvitlo.domain.texts.web import WebTexts

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
    possible_all_day="🟡 Possible outages all day by the weekly template.",
    unreadable_line="❓ Could not read the schedule for {intervals}.",
    no_outages="🟢 No outages planned.",
    no_outages_last_known="🟢 The last known schedule had no outages for this day.",
    emergency="⚠️ Emergency outages are in force — the schedule does not apply.",
    emergency_times="⚠️ Emergency outages are in force; the operator names these hours:",
    pending_today="⏳ Today's schedule has not been published yet.",
    pending_tomorrow="⏳ Tomorrow's schedule has not been published yet.",
    missing_day="❔ There is no schedule data for this day.",
    missing_queue="❔ There is no schedule data for this queue.",
    updated_at="<i>Schedule updated {when}</i>",
    fresh="✅ The data is up to date.",
    stale="⚠️ The data may be outdated.",
    stale_since="⚠️ The data may be outdated: we last fetched it {when}.",
    stale_operator="⚠️ The data may be outdated: the operator last updated the schedule {when}.",
    source_error="⚠️ The source reports an error, so the last known schedule is shown.",
    truncated="… (message shortened)",
    change_title="🔔 <b>{region} · {queue}</b>",
    tomorrow_appeared="📅 <b>Tomorrow's schedule is out: {weekday}, {date}</b>",
    today_appeared="📅 <b>Today's schedule is out: {weekday}, {date}</b>",
    today_changed="🔄 <b>Today's schedule has changed: {weekday}, {date}</b>",
    tomorrow_changed="🔄 <b>Tomorrow's schedule has changed: {weekday}, {date}</b>",
    emergency_started="🚨 <b>Emergency outages: {weekday}, {date}</b>",
    emergency_ended=(
        "✅ <b>Emergency outages are over, the schedule applies again: {weekday}, {date}</b>"
    ),
    coverage_added="➕ Outage added: {intervals}",
    coverage_removed="➖ Outage cancelled: {intervals}",
    shifted_line="🔁 Was {old}, now {new}",
    list_and=" and ",
    new_mark=" 🆕",
    new_schedule="New schedule:",
    post_days_changed="🔄 <b>Schedule updated for today and tomorrow</b>",
    post_linked="✅ <b>The channel is connected to eSvitlo</b>: the schedule and its changes will appear here",
    post_test="🧪 <b>eSvitlo test post</b>",
    timer_title="⏱ <b>{region} · {queue}</b>",
    timer_label="{title}\n🏠 {label}",
    now_on="By schedule now: 🟢 power on",
    now_off="By schedule now: 🔴 power off ({interval})",
    until_restoration="⏳ Power back in <b>{wait}</b>, at {time}",
    until_outage="⏳ Next outage in <b>{wait}</b>: {interval} ({duration})",
    later_today="Other outages today:",
    later_line="• {interval} ({duration})",
    nothing_ahead="✅ No more outages in the schedule (known through {date}).",
    timer_unknown="❔ Today's schedule is not published, so outage times are unknown.",
    timer_emergency="⚠️ Emergency outages are in force — the schedule does not apply.",
    reminder_off="⏰ Outage in <b>{lead}</b>: {interval} ({duration})",
    reminder_on="⏰ Power should be back in <b>{lead}</b> (at {time})",
    reminder_off_now="⏰ The scheduled outage starts <b>now</b>: {interval} ({duration})",
    reminder_on_now="⏰ Power should be back <b>now</b> by the schedule (at {time})",
    reminder_footer="<i>{region} · {queue}</i>",
    reminder_for="🏠 <b>{label}</b> · {reminder}",
    chart_pending="Not published yet",
    chart_missing="No data",
    chart_emergency="Emergency outages",
    chart_outage="Outage",
    chart_power="Power on",
    chart_possible="Possible outage",
    chart_total="Without power",
    chart_new="New or moved",
    post_btn_timer="⏰ Timer",
    post_btn_today="📊 Today",
    chart_now="Now",
    chart_stale="Data may be outdated",
    chart_source_error="Source error: last known schedule",
)

BOT = BotTexts(
    lang="en",
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
    btn_power="💡 Power at home",
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
    wizard_confirm="Follow this schedule?\n\n📍 <b>{region}</b> · <b>{queue}</b>",
    subscribed="✅ Done! <b>{label}</b>: {region}, {queue}.",
    already_subscribed="You already follow this schedule: {region}, {queue}.",
    limit_reached="The address limit is {limit}, and you have reached it. Remove one to add another.",
    deep_link_bad="That link was not recognised, so please choose the region and queue.",
    btn_subscribe_queue="🔔 Follow this queue",
    expired="This button has expired.",
    group_private_only="I show schedules and addresses only in a private chat, so nothing of yours is revealed in a group. Message me directly.",
    btn_open_private="💬 Message the bot",
    default_label_first="Home",
    default_label_next="Address {n}",
    no_schedule_region=(
        "📍 <b>{region}</b>\n\n"
        "This region's operator publishes no outage schedule we can read, so there is no "
        "schedule and there are no queues for it here: we will not make them up.\n\n"
        "What works everywhere: <b>power detection at home</b>. The bot checks your router "
        "or receives a heartbeat from a device at home, and tells you when power goes out "
        "and comes back."
    ),
    no_schedule_queue="no schedule",
    btn_home_power="💡 Detect power at home",
    home_power_saved="✅ Address <b>{label}</b> saved: {region}, no schedule.",
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
    opt_tomorrow="New schedule published",
    opt_emergency="Emergency outages",
    opt_reminders="Reminders",
    opt_crowd="Unscheduled (queue monitors)",
    opt_crowd_auto="🔄 Unscheduled (queue monitors): auto",
    opt_crowd_plan="Earlier / later than planned",
    on_mark="✅",
    off_mark="▫️",
    minutes_short="{n} min",
    leads_off_line="⏰ Reminders before an outage: {value}",
    leads_on_line="💡 Reminders before power returns: {value}",
    leads_none="none",
    lead_now="at the moment",
    btn_lead_now="on time",
    lead_before="{n} min before",
    btn_leads_off="⏰ Before an outage",
    btn_leads_on="💡 Before power returns",
    leads_off_title="⏰ <b>Reminders before an outage</b>\nChoose when to be reminded (as many as you like).",
    leads_on_title="💡 <b>Reminders before power returns</b>\nChoose when to be reminded (as many as you like).",
    quiet_hours="🌙 Quiet hours (silent): {value}",
    quiet_off="off",
    btn_quiet="🌙 Quiet hours",
    quiet_start_prompt="🌙 <b>Quiet hours</b>\nNotifications come without sound during them. Now: {value}.\n\nChoose when they start:",
    quiet_end_prompt="🌙 <b>Quiet hours</b> from {start}\n\nChoose when they end:",
    btn_quiet_off="🔔 Turn quiet hours off",
    btn_language="🌐 Українська",
    btn_delete="🗑 Delete my data",
    delete_confirm="All your addresses, settings and channels will be deleted. Continue?",
    delete_confirm_again="Are you sure? This cannot be undone.",
    btn_delete_yes="Yes, continue",
    btn_delete_final="🗑 Delete forever",
    deleted="Your data has been deleted. Send /start to begin again.",
    help=(
        "❓ <b>What I can do</b>\n"
        "/menu — main menu: addresses, channels, power at home\n"
        "/schedule — today's and tomorrow's outage schedule\n"
        "/timer — time left until an outage or until power returns\n"
        "/settings — alerts, reminders, quiet hours, language\n"
        "/feedback — write to the bot's admins\n"
        "/start — add an address (region and queue)\n\n"
        "🏠 <b>Addresses</b>: several addresses under your own names (“My addresses” in the menu).\n"
        "💡 <b>Power at home</b>: the bot checks your router or waits for a heartbeat from a device at home, and tells you when power goes off or comes back.\n"
        "📺 <b>Channels</b>: make me an administrator of your channel and I will publish the schedule and its changes there."
    ),
    unknown="I did not understand that message.",
    error="😔 Something went wrong. Please try again a bit later.",
    paused_default="🛠 The bot is down for maintenance for a while. We will be back soon.",
    paused_update="🛠 We are installing an update of the bot. Back in a few minutes.",
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
    btn_post_new="🆕 New post",
    btn_post_new_delete="🗑 New post, delete the old",
    btn_post_edit="✏️ Edit the post",
    channel_test_sent="🧪 A test post with the current schedule will appear in “{title}” in a few seconds.",
    channel_paused="Publishing to “{title}” is paused.",
    channel_resumed="Publishing to “{title}” is resumed.",
    channel_disconnected="Channel “{title}” disconnected.",
    channel_lost=(
        "⚠️ I can no longer post in the channel “{title}”: I was removed or lost my rights. "
        "Publishing has stopped — make me an administrator again to resume."
    ),
    btn_add_to_channel="➕ Add me to a channel",
    channel_first_post="The current schedule will appear in the channel in a few seconds.",
    channel_no_schedule="This address's schedule cannot be had right now: the first post will come with its next update.",
    channel_region_no_schedule=(
        "This address's region has no schedule we can read, so no schedule posts will come. "
        "Once you set up power detection at home, power posts will come here."
    ),
    channel_style_set="Channel “{title}”, new schedules: {style}.",
    # groups as destinations, caption styles and templates
    group_found="👥 I was added to the group “{title}”. Which address should I publish there?",
    group_not_admin=(
        "I was added to the group “{title}”, but only a group administrator can connect "
        "schedule posts there."
    ),
    group_topic_hint=(
        "In a group with topics, posts appear in the General topic. To choose another, send "
        "/here in that topic."
    ),
    group_here_topic="✅ The outage schedule will be posted in this topic.",
    group_here_general="✅ The outage schedule will be posted in the General topic.",
    group_here_refused="Only the group administrator who connected the bot can choose the topic.",
    group_here_unlinked=(
        "The bot is not connected to this group yet: an administrator can do it in a private "
        "chat with the bot."
    ),
    btn_add_to_group="➕ Add me to a group",
    btn_caption_full="📝 Full caption",
    btn_caption_picture="🖼 Picture only",
    btn_caption_template="✍️ Caption template",
    btn_post_buttons_on="🔗 Buttons: on",
    btn_post_buttons_off="🔗 Buttons: off",
    channel_buttons_on="Posts in “{title}” will carry the ⏰ Timer and 📊 Today buttons.",
    channel_buttons_off="Posts in “{title}” will go out without buttons.",
    btn_weekly_on="📊 Weekly summary: on",
    btn_weekly_off="📊 Weekly summary: off",
    channel_weekly_on=(
        "Every Monday “{title}” will get the week's summary: time without power in fact and"
        " by the schedule (when the queue has monitors of at least three users)."
    ),
    channel_weekly_off="“{title}” will get no weekly summary any more.",
    weekly_post=(
        "📊 <b>The week {since} – {until}</b>\n"
        "{region}, {queue}\n"
        "Without power on scheduled days: {fact} in fact, {planned} by the schedule\n"
        "Outages began on time (±15 min): {starts_on_time} of {starts};"
        " ended on time: {ends_on_time} of {ends}\n"
        "Unscheduled outages: {unplanned}\n"
        "<i>From the monitors of this queue's users.</i>"
    ),
    btn_template_reset="↩️ Default caption",
    channel_caption_set="“{title}”, post caption: {style}.",
    template_prompt=(
        "✍️ <b>Caption template for “{title}”</b>\n"
        "Send the caption text. You may insert:\n"
        "{{region}} — region, {{queue}} — queue, {{changes}} — what changed, "
        "{{schedule}} — the schedule, {{updated}} — when it was updated.\n"
        "Up to {limit} characters with everything inserted; a long schedule is shortened.\n\n"
        "Now: {current}"
    ),
    template_default="the default caption",
    template_saved="✅ Template saved. The caption will look like this:\n\n{preview}",
    template_reset_done="↩️ Back to the default caption:\n\n{preview}",
    template_empty="The template is empty. Send some text or go back to the menu.",
    template_malformed=(
        "The template has a stray or unclosed brace. For a brace itself, type it twice: {{ or }}."
    ),
    template_unknown="Unknown placeholder {{{name}}}. Allowed: {names}.",
    template_too_long="The caption is too long: its length is {length}, and Telegram allows at most {limit}. Shorten the template.",
    admin_stats=(
        "📊 <b>Statistics</b>\n"
        "Users: {users} (active: {active})\n"
        "Subscriptions: {subscriptions}\n"
        "Channels: {channels}\n"
        "Pending messages: {pending}\n\n"
        "{regions}"
    ),
    admin_region_line="{region}: {count}",
    admin_plan_fact=(
        "📉 <b>Plan versus fact, 7 days</b> (queues with monitors of at least three users:"
        " {queues})\n"
        "Without power on scheduled days: {fact} in fact, {planned} by the schedule\n"
        "Began on time (±15 min): {starts_on_time} of {starts}; ended on time:"
        " {ends_on_time} of {ends}\n"
        "Unscheduled outages: {unplanned}; power kept despite the schedule: {kept}"
    ),
    admin_plan_fact_line="{region}, {queue}: {fact} in fact, {planned} by the schedule",
    admin_plan_fact_none=(
        "📉 Plan versus fact: no queue has monitors of at least three users yet."
    ),
    broadcast_usage="Usage: /broadcast message text",
    broadcast_queued="Broadcast queued: {count}.",
    messages_forms=("message", "messages", "messages"),
    pause_on="Pause mode is on.",
    pause_off="Pause mode is off.",
    btn_feedback="✉️ Write to us",
    feedback_prompt="Write in one message what does not work or what to add. The bot's admins will read it and answer here.",
    feedback_sent="✅ Thank you! Your message has been passed to the admins.",
    feedback_too_many="You have sent several messages in a row. Please try again in {minutes} min.",
    feedback_empty="Please send the text of your message.",
    feedback_to_admin="✉️ <b>Feedback</b> from {name} (id <code>{user_id}</code>):\n\n{text}\n\nReply: <code>/reply {user_id} text</code>",
    reply_usage="Usage: /reply user_id text of the reply",
    reply_sent="The reply to {user_id} is queued.",
    reply_unknown_user="{user_id} is not a user of the bot.",
    reply_to_user="✉️ <b>A reply from the admins</b>\n\n{text}",
    error_report="⚠️ <b>Bot error</b>\nWhere: {where}\nError: <code>{error}</code>\nUpdate: {update}\n(the same error is reported at most once in 10 min)",
    admin_system=(
        "🖥 <b>System</b>\n"
        "Version: {version}\n"
        "This instance: <code>{instance}</code> (up {uptime})\n"
        "Instances: {instances}\n"
        "Leader: {leader}\n"
        "Database: {database}\n"
        "Redis: {redis}"
    ),
    admin_user_usage="Usage: /user user_id",
    admin_user_unknown="User {user_id} was not found.",
    admin_user_card=(
        "👤 <b>User</b> <code>{user_id}</code>\n"
        "Language: {language} · {state} · since {since}\n"
        "Addresses: {addresses}\n"
        "Monitors: {monitors} · channels: {channels}\n"
        "Waiting to be sent: {pending}"
    ),
    admin_user_active="active",
    admin_user_inactive="blocked the bot",
    admin_users_title="👥 <b>Users</b> ({query}): the newest {shown} of {total}",
    admin_users_line="<code>{user_id}</code> · {language} · {state} · addresses: {addresses} · {regions}",
    admin_users_none="No users ({query}) found.",
    admin_users_all="all",
    admin_settings=(
        "⚙️ <b>Run-time settings</b>\n"
        "{lines}\n\n"
        "Change: /set name value · back to the environment's: /set name default"
    ),
    admin_setting_line="<code>{name}</code> = {value} {unit} ({source}; bounds: {bounds})",
    admin_setting_stored="set by an admin",
    admin_setting_env="from the environment",
    admin_unit_seconds="s",
    admin_observations_forms=("observation", "observations", "observations"),
    admin_set_usage="Usage: /set name value (or default). Names: {names}.",
    admin_set_done=(
        "✅ <code>{name}</code> = {value} {unit}. Stored and applied on every instance from "
        "its next cycle."
    ),
    admin_set_reset="↩️ <code>{name}</code> comes from the environment again: {value} {unit}.",
    admin_set_unknown="Unknown setting “{name}”. Known: {names}.",
    admin_set_not_number="<code>{name}</code>: “{value}” is not a number. Nothing changed.",
    admin_set_not_whole="<code>{name}</code>: a whole number is needed, not {value}. Nothing changed.",
    admin_set_out_of_bounds=(
        "<code>{name}</code>: {value} is out of bounds ({bounds}). Nothing changed."
    ),
    yes="yes",
    no="no",
)


POWER = PowerTexts(
    lang="en",
    went_off="🔴 <b>Power went off</b> at {time} · {label}",
    came_back="🟢 <b>Power is back</b> at {time} · {label}",
    was_on_for="It was on for {duration}.",
    was_off_for="It was off for {duration}.",
    schedule_expects_restoration="By the schedule it should be back at {time}.",
    schedule_restoration_unknown="The schedule has an outage now; it does not say when it ends.",
    not_in_schedule="This outage is not in the schedule.",
    schedule_expects_outage_until="By the schedule the power should be off until {time}.",
    next_planned_outage="Next planned outage: {interval}.",
    no_planned_outages="No more planned outages in the schedule.",
    refusal_unspecified="This is an empty address (all zeros): it does not lead anywhere.",
    refusal_loopback="This address points back at the computer itself (loopback), not at your home.",
    refusal_private="This is a private address: it works only inside a home or office network, so it cannot be reached from the internet. Give your router's public address, or use the heartbeat link instead.",
    refusal_shared="This address belongs to your provider's shared network (CGNAT, 100.64.0.0/10): it cannot be reached from the internet. Use the heartbeat link instead.",
    refusal_link_local="This is a link-local address: it works only between devices plugged into the same network.",
    refusal_site_local="This is an old site-local IPv6 address: it works only inside one organisation's network.",
    refusal_multicast="This is a multicast address: it is for sending to groups of devices, not for one router.",
    refusal_broadcast="This is the broadcast address: it means every device of a network at once.",
    refusal_documentation="This address is reserved for examples in documentation: no real device has it.",
    refusal_reserved="This address is reserved for special purposes: no home router can have it.",
    refusal_embedded="This IPv6 address carries a private or special IPv4 address inside (6to4, Teredo or NAT64), so it leads into a private network.",
    target_empty="The address is empty. Send your router's public IP address or its name (for example myhome.ddns.net).",
    target_too_long="The address is too long.",
    target_bad_url="This link could not be read. Send it as http://name:port/ or https://name/.",
    target_bad_scheme="Only http:// and https:// links can be checked; or send just the address.",
    target_credentials="Do not put a login or password in the address: we do not need them.",
    target_bad_port="The port must be a number from 1 to 65535.",
    target_bad_host="This is not a valid IP address or host name.",
    target_bare_name="Give the full name with a dot, like myhome.ddns.net: names without a domain (such as router or localhost) work only inside a network, so we do not check them.",
    target_port_not_allowed="We do not check this port. Only the ports routers are usually opened on are allowed: {ports}; or give no port at all. Forward one of them on your router, or use a heartbeat from a device instead.",
    target_refused="This address cannot be monitored.",
    no_public_address="We check only public internet addresses, and this name does not lead to one.",
    check_target="target",
    check_addresses="addresses",
    check_result="result",
    check_time="{ms} ms",
    check_answered="answered ({method})",
    check_silent="no answer",
    check_dns_failed="could not resolve the name",
    check_not_checked="could not check ({detail})",
    screen_title="💡 <b>Power at home</b>",
    screen_intro="The bot can notice by itself whether your home has power and tell you when it goes off or comes back. Add a monitor to an address: 🌐 <b>probing</b> (the bot knocks on your router from the internet) or 📡 <b>heartbeat</b> (a device at home calls a secret link while it has power).",
    screen_none="No monitors yet.",
    need_address="Add an address (queue) first: a monitor belongs to one.",
    limit_reached="The monitor limit is {limit}, and you have reached it. Remove one to add another.",
    monitor_line="{mark} <b>{label}</b> · {kind}",
    kind_probe="probing {target}",
    kind_heartbeat="heartbeat every {every}",
    state_on="🟢 Power on since {since}",
    state_off="🔴 Power off since {since}",
    state_unknown="⚪ Not known yet: waiting for the first checks",
    since_or_earlier="{since} or earlier",
    last_beat="Last heartbeat: {when}",
    no_beat_yet="No heartbeat yet.",
    notify_line="Who is told: {who}",
    page_line='Monitor page (read-only): <a href="{url}">open</a>',
    who_me="me",
    who_channel="my channel",
    who_both="me and my channel",
    no_channel_hint="No channel is linked to this address: connect one under Channels.",
    period_seconds="{n} s",
    period_minutes="{n} min",
    btn_add="➕ Add a monitor",
    btn_probe="🌐 Probe an address",
    btn_heartbeat="📡 Heartbeat from a device",
    btn_save_anyway="💾 Save anyway",
    btn_stats="📊 Statistics",
    btn_new_link="🔑 New link",
    btn_yes_new_link="🔑 Yes, a new link",
    btn_remove="🗑 Remove monitor",
    btn_yes_remove="Yes, remove",
    btn_notify_me="🔔 Me",
    btn_notify_channel="📢 Channel",
    btn_notify_both="🔔📢 Both",
    pick_address="Which address is the monitor for?",
    pick_kind="How should the bot learn about power at <b>{label}</b>?\n\n🌐 <b>Probing</b>: once every {every} the bot knocks on your router from the internet. It needs a public IP address or a DDNS name, and the router must answer from outside.\n📡 <b>Heartbeat</b>: a device at home (ESP32, MikroTik, Home Assistant, a computer) calls a secret link by itself. Works with any internet connection, even without a public address.",
    ask_target="Send your router's public IP address or its DDNS name, with a port if needed. For example: <code>93.184.216.34</code>, <code>myhome.ddns.net:8291</code>, <code>[2a01:4f8::1]:443</code>.",
    target_not_accepted="❌ {reason}\n\nSend another address, or choose a heartbeat from a device.",
    probe_answered="✅ Monitor added: <b>{target}</b> is reachable.",
    probe_unreachable="⚠️ <b>{target}</b> is not reachable right now.\nWe check only public internet addresses: make sure the address is right. Most home routers ignore requests from the internet. To make probing work, open or forward a port on the router (for example 80, 443, or 8291 on MikroTik) and put it in the address, or allow ping (ICMP) from outside. Or use a heartbeat from a device instead.\n\nSave it anyway? While the router stays silent, the bot will take it as no power.",
    probe_too_many="⏳ Too many checks in a row. Try again in {minutes} min.",
    ask_period="How often will the device call? The more often, the sooner the bot notices an outage.",
    heartbeat_added="✅ Heartbeat monitor for <b>{label}</b> added.\n\nThe device must call this link (GET or POST) every {every} while it has power:\n<code>{url}</code>\nKeep the link to yourself.",
    heartbeat_renewed="🔑 A new link for <b>{label}</b> is ready; the old one no longer works.\n\nThe device must call this link (GET or POST) every {every} while it has power:\n<code>{url}</code>\nKeep the link to yourself.",
    link_shown_once="🔒 The bot keeps only a fingerprint of the link and cannot show it again: save it now. Lost it? Make a new one on the monitor's screen (🔑 New link).",
    new_link_confirm="Make a new link for the monitor <b>{label}</b>?\n\nThe current link stops working at once, so the device must be set up again. A link is shown only once, when it is made.",
    local_base_warning="⚠️ The server address {base} is local: devices on the internet cannot reach it. The bot's administrator must set ESVITLO_PUBLIC_URL.",
    snippet_curl="Linux, a NAS or a router with cron (curl):",
    snippet_mikrotik="MikroTik (RouterOS terminal):",
    snippet_home_assistant="Home Assistant (configuration.yaml):",
    snippet_esp32="ESP32 / Arduino:",
    remove_confirm="Remove the monitor <b>{label}</b> with its outage history?",
    removed="Monitor removed.",
    notify_set="Done, I will tell: {who}.",
    stats_title="📊 <b>{label}</b>: power statistics",
    stats_window="<b>Last {days} days</b>",
    stats_watched_from="(monitored since {since})",
    stats_not_watched="The monitor did not exist yet.",
    stats_no_outages="No outages.",
    stats_count="Outages: {count}",
    stats_total="Without power in total: {duration}",
    stats_average="On average: {duration}",
    stats_longest="Longest: {duration}",
    stats_share="Power was on {percent}% of the time",
    stats_ongoing="An outage is going on now.",
    plan_unknown="No schedule for this time: nothing to compare with.",
    plan_matched="Matched the schedule: {count}",
    plan_start="Went off on average {offset}",
    plan_end="Came back on average {offset}",
    offset_later="{minutes} min later than planned",
    offset_earlier="{minutes} min earlier than planned",
    offset_on_time="on time",
    plan_unplanned="Not in the schedule: {count}",
    plan_kept="Planned, but the power stayed on: {count}",
    chart_caption="📈 <b>{label}</b>: the last 7 days",
    chart_title="{label} · {period}",
    chart_real="Outage",
    chart_planned="Planned",
    chart_power="Power on",
    chart_unwatched="Not monitored",
    chart_weekdays="Mon Tue Wed Thu Fri Sat Sun",
    crowd_outage=(
        "⚠️ <b>Unscheduled outage likely</b> · {queue}, {region}\n"
        "Since {time} most power monitors in the queue have no power, "
        "though the schedule says power is on."
    ),
    crowd_back=(
        "🟢 <b>Power is coming back</b> · {queue}, {region}\n"
        "Since {time} most power monitors in the queue have power again."
    ),
    crowd_early=(
        "🟢 <b>Power came back earlier than planned</b> · {queue}, {region}\n"
        "By the queue's monitors at {time}, by the schedule at {planned}: {duration} earlier."
    ),
    crowd_late=(
        "🟢 <b>Power came back later than planned</b> · {queue}, {region}\n"
        "By the queue's monitors at {time}, by the schedule at {planned}: {duration} later."
    ),
    crowd_queue_off="👥 Others in your queue have no power either: the whole queue is off.",
    crowd_only_you=(
        "👥 Others in your queue still have power: only your home. Check your breaker or router."
    ),
    svitlobot_ping=(
        "A device running the Svitlobot firmware: change only its address to\n"
        "<code>{url}</code>\nKey (channel_key): <code>{key}</code>"
    ),
)

WEB = WebTexts(
    lang="en",
    site_name="eSvitlo",
    regions_title="Power outage schedules",
    regions_intro="Choose a region, then your queue: today's and tomorrow's schedule, the next outage and how long until it.",
    region_no_schedule="the operator publishes no schedule we can read",
    region_no_schedule_long="{region}: the operator publishes no outage schedule we can read, so there is none here.",
    region_not_checked="This region's schedule has not been fetched yet. Try again in a minute.",
    queues_title="{region}: queues",
    queue_page_title="{region} · {queue}",
    og_description="{region}, {queue}: the outage schedule for today and tomorrow",
    all_regions="All regions",
    all_queues="All queues: {region}",
    other_language="Українською",
    power_on_now="Power is on now (by the schedule)",
    power_off_now="Power is off now (by the schedule)",
    power_unknown_now="The schedule for now is unknown",
    emergency_now="Emergency outages are in force: the schedule does not apply",
    next_outage="Next outage: {time}",
    next_restoration="Power returns: {time}",
    countdown="in {wait}",
    nothing_ahead="No outages ahead in the known schedule",
    chart_label="Outage schedule for today and tomorrow",
    legend_outage="Outage",
    legend_possible="Possible outage",
    legend_power="Power on",
    legend_unknown="No data",
    outage_row="{interval} ({duration})",
    continues_next_day="goes on past midnight",
    total="Without power in total: {duration}",
    no_outages="No outages planned",
    pending_day="Not published yet",
    possible_heading="The weekly template allows outages at:",
    missing_day="No schedule data for this day",
    missing_queue="No schedule data for this queue",
    emergency_day="Emergency outages: the schedule does not apply",
    emergency_day_times="Emergency outages; the operator names these hours:",
    fresh="The data is up to date",
    stale="The data may be outdated",
    source_error="The source reports an error, so the last known schedule is shown",
    updated_at="The operator updated the schedule {when}",
    checked_at="Checked {when}",
    times_note="Times are Kyiv time.",
    refresh_note="The page refreshes itself when the schedule changes; without JavaScript, reload it.",
    not_found="Page not found",
    not_found_hint="There is no such region or queue.",
    crowd_heading="Users' monitors",
    crowd_on="Most homes of this queue have power now.",
    crowd_off="Most homes of this queue are without power now.",
    crowd_mixed="This queue's monitors disagree now: some homes have power, some do not.",
    crowd_note=(
        "Measured by our users' home monitors (at least three), not reported by the operator."
    ),
    monitor_heading="Power at home",
    monitor_week="The week: outages the monitor saw and the schedule's",
    monitor_private="This page opens only through its secret link from the bot.",
)
