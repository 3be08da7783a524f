"""The shape of the bot's interface strings; the values live in ``uk.py`` and ``en.py``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BotTexts:
    """Buttons, prompts and replies of the Telegram bot in one language.

    Placeholders are named in the comments; values are HTML-escaped by the caller.
    """

    lang: str  # "uk" or "en": picks plural rules and the decimal separator
    language_name: str
    # commands shown in Telegram's menu
    cmd_start: str
    cmd_schedule: str
    cmd_timer: str
    cmd_settings: str
    cmd_help: str
    # buttons
    btn_schedule: str
    btn_timer: str
    btn_addresses: str
    btn_settings: str
    btn_channels: str
    btn_power: str
    btn_help: str
    btn_back: str
    btn_menu: str
    btn_prev: str
    btn_next: str
    btn_retry: str
    btn_confirm: str
    btn_cancel: str
    btn_add_address: str
    btn_rename: str  # {label}
    btn_remove: str  # {label}
    btn_yes_remove: str
    # onboarding
    welcome: str
    wizard_region: str
    wizard_queue: str  # {region}
    wizard_no_queues: str  # {region}
    wizard_confirm: str  # {region} {queue}
    subscribed: str  # {label} {region} {queue}
    already_subscribed: str  # {region} {queue}
    limit_reached: str  # {limit}
    deep_link_bad: str
    btn_subscribe_queue: str  # under a queue's schedule or timer opened by a link
    expired: str
    group_private_only: str  # a command typed in a group
    btn_open_private: str
    default_label_first: str
    default_label_next: str  # {n}
    # a region whose operator publishes no schedule we can read: power detection instead
    no_schedule_region: str  # {region}
    no_schedule_queue: str  # stands for the queue of an address in such a region
    btn_home_power: str
    home_power_saved: str  # {label} {region}
    # main menu and addresses
    menu_title: str
    menu_address: str  # {label} {region} {queue}
    menu_no_addresses: str
    addresses_title: str
    address_line: str  # {n} {label} {region} {queue}
    rename_prompt: str  # {label}
    renamed: str  # {label}
    rename_bad: str
    remove_confirm: str  # {label} {region} {queue}
    removed: str
    schedule_unavailable: str  # {region}
    # settings
    settings_title: str
    opt_changes: str
    opt_tomorrow: str  # a new schedule published (today's or tomorrow's)
    opt_emergency: str
    opt_reminders: str
    opt_crowd: str  # unscheduled outages the queue's monitors see (issue 13)
    opt_crowd_auto: str  # the same, left at the default: on without a monitor of one's own
    opt_crowd_plan: str  # the queue's power back earlier or later than planned (off by default)
    on_mark: str
    off_mark: str
    minutes_short: str  # {n}
    leads_off_line: str  # {value}
    leads_on_line: str  # {value}
    leads_none: str
    lead_now: str
    btn_lead_now: str  # short: three lead times share a row
    lead_before: str  # {n}
    btn_leads_off: str
    btn_leads_on: str
    leads_off_title: str
    leads_on_title: str
    quiet_hours: str  # {value}
    quiet_off: str
    btn_quiet: str
    quiet_start_prompt: str  # {value}
    quiet_end_prompt: str  # {start}
    btn_quiet_off: str
    btn_language: str
    btn_delete: str
    delete_confirm: str
    delete_confirm_again: str
    btn_delete_yes: str
    btn_delete_final: str
    deleted: str
    # help, fallbacks, errors
    help: str
    unknown: str
    error: str
    paused_default: str  # the pause notice templates: /pause, /pause update
    paused_update: str
    # channels
    channels_title: str
    channels_none: str
    channel_found: str  # {title}
    channel_no_rights: str  # {title}
    channel_linked: str  # {title} {label}
    channel_line: str  # {mark} {title} {label}
    channel_active: str
    channel_paused_mark: str
    channel_lost_mark: str
    channel_pending_mark: str
    btn_test_post: str
    btn_pause: str
    btn_resume: str
    btn_disconnect: str
    btn_post_new: str  # the channel's post style, pressed to change it
    btn_post_new_delete: str
    btn_post_edit: str
    channel_test_sent: str  # {title}
    channel_paused: str  # {title}
    channel_resumed: str  # {title}
    channel_disconnected: str  # {title}
    channel_lost: str  # {title}
    channel_first_post: str
    btn_add_to_channel: str
    channel_no_schedule: str
    channel_region_no_schedule: str  # the address is in a region without a schedule
    channel_style_set: str  # {title} {style}
    # groups as destinations, caption styles and templates (channels' screen)
    group_found: str  # {title}
    group_not_admin: str  # {title}
    group_topic_hint: str  # after linking a forum supergroup
    group_here_topic: str  # /here in a forum topic (shown in the group: nothing personal)
    group_here_general: str
    group_here_refused: str
    group_here_unlinked: str
    btn_add_to_group: str
    btn_caption_full: str  # the caption style, pressed to change it
    btn_caption_picture: str
    btn_caption_template: str
    btn_post_buttons_on: str  # the links under posts are on (pressing turns them off)
    btn_post_buttons_off: str
    channel_buttons_on: str  # {title}
    channel_buttons_off: str  # {title}
    btn_weekly_on: str  # the weekly plan-versus-fact post is on (pressing turns it off)
    btn_weekly_off: str
    channel_weekly_on: str  # {title}
    channel_weekly_off: str  # {title}
    # the weekly post: {region} {queue} {since} {until} {fact} {planned} {starts_on_time}
    # {starts} {ends_on_time} {ends} {unplanned}
    weekly_post: str
    btn_template_reset: str
    channel_caption_set: str  # {title} {style}
    template_prompt: str  # {title} {current} {limit}
    template_default: str  # {current} when there is no template
    template_saved: str  # {preview}
    template_reset_done: str  # {preview}
    template_empty: str
    template_malformed: str
    template_unknown: str  # {name} {names}
    template_too_long: str  # {length} {limit}
    # admin
    admin_stats: str  # {users} {active} {subscriptions} {channels} {pending} {regions}
    admin_region_line: str  # {region} {count}
    # plan versus fact (issue 13 §3): {queues} {fact} {planned} {starts_on_time} {starts}
    # {ends_on_time} {ends} {unplanned} {kept}
    admin_plan_fact: str
    admin_plan_fact_line: str  # {region} {queue} {fact} {planned}
    admin_plan_fact_none: str
    broadcast_usage: str
    broadcast_queued: str  # {count}: a count of messages_forms
    messages_forms: tuple[str, str, str]  # one, few, many (see texts.numbers)
    pause_on: str
    pause_off: str
    # between users and the operators: feedback, replies, error reports, lookups
    btn_feedback: str
    feedback_prompt: str
    feedback_sent: str
    feedback_too_many: str  # {minutes}
    feedback_empty: str
    feedback_to_admin: str  # {user_id} {name} {text}
    reply_usage: str
    reply_sent: str  # {user_id}
    reply_unknown_user: str  # {user_id}
    reply_to_user: str  # {text}
    error_report: str  # {where} {error} {update}
    admin_system: str  # {version} {instance} {instances} {leader} {uptime} {database} {redis}
    admin_user_usage: str
    admin_user_unknown: str  # {user_id}
    admin_user_card: (
        str  # {user_id} {language} {state} {since} {addresses} {monitors} {channels} {pending}
    )
    admin_user_active: str
    admin_user_inactive: str
    admin_users_title: str  # {shown} {total} {query}
    admin_users_line: str  # {user_id} {language} {state} {addresses} {regions}
    admin_users_none: str  # {query}
    admin_users_all: str  # the {query} of a list without a filter
    admin_settings: str  # {lines}
    admin_setting_line: str  # {name} {value} {source} {bounds} {unit}
    admin_setting_stored: str  # {source}: set by an admin
    admin_setting_env: str  # {source}: from the environment
    admin_unit_seconds: str  # {unit}
    admin_observations_forms: tuple[str, str, str]  # one, few, many (texts.numbers)
    admin_set_usage: str  # {names}
    admin_set_done: str  # {name} {value} {unit}
    admin_set_reset: str  # {name} {value} {unit}
    admin_set_unknown: str  # {name} {names}
    admin_set_not_number: str  # {name} {value}
    admin_set_not_whole: str  # {name} {value}
    admin_set_out_of_bounds: str  # {name} {value} {bounds}
    yes: str
    no: str
