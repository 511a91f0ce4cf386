/**
 * The sandbox help center's articles: Acme's public knowledge base (fictional), 40 articles in three
 * languages and five categories, plus the demo's saved replies. Written as a support team writes
 * them, so a question in a customer's words has one right answer to find.
 */

export interface HelpArticle {
  id: number;
  lang: "en" | "de" | "es";
  category: string;
  slug: string;
  title: string;
  paragraphs: string[];
}

export const CATEGORIES: Record<string, string> = {
  billing: "Billing and payments",
  account: "Your account",
  chat: "Live chat and widget",
  integrations: "Integrations",
  troubleshooting: "Troubleshooting",
};

type Row = [id: number, category: string, slug: string, title: string, ...paragraphs: string[]];

const EN: Row[] = [
  [
    101,
    "billing",
    "refund-policy",
    "Refund policy: how to get your money back",
    "We refund any payment made in the last 30 days, no questions asked. If you were charged twice or charged after cancelling, we refund the extra charge in full whenever it happened.",
    "To ask for a refund, write to billing@acme-support.io or open a chat from Settings → Billing with the invoice number. Refunds go back to the card or PayPal account you paid with and arrive within 5–10 business days, depending on your bank.",
    "Annual plans cancelled after 30 days are refunded pro rata for the unused full months.",
  ],
  [
    102,
    "billing",
    "change-plan",
    "Upgrade or downgrade your plan",
    "Go to Settings → Billing → Plan and pick the new plan. An upgrade takes effect at once and you pay the prorated difference today.",
    "A downgrade takes effect at the end of the current billing period, so you keep the features you paid for until then.",
  ],
  [
    103,
    "billing",
    "cancel-subscription",
    "Cancel your subscription",
    "You can cancel at any time from Settings → Billing → Cancel subscription. Your workspace stays active until the end of the period you paid for, then switches to the free plan.",
    "Cancelling does not delete your data. To delete everything, see Delete your account.",
  ],
  [
    104,
    "billing",
    "update-payment-method",
    "Update your card or payment method",
    "Open Settings → Billing → Payment method and click Replace card. We accept Visa, Mastercard, American Express and PayPal.",
    "The new card is charged from the next invoice on. A failed payment is retried three times over seven days before the workspace is paused.",
  ],
  [
    105,
    "billing",
    "download-invoices",
    "Download invoices and receipts",
    "Every invoice is in Settings → Billing → Invoices as a PDF. Add your company name, address and VAT number under Billing details before the next invoice, and they appear on it.",
    "Past invoices can be reissued with new details on request.",
  ],
  [
    106,
    "billing",
    "vat-and-taxes",
    "VAT, sales tax and tax exemption",
    "Customers in the EU are charged VAT at their country's rate unless they enter a valid VAT ID, in which case the reverse charge applies.",
    "US sales tax is added where required by state law. Tax-exempt organisations can send their exemption certificate to billing@acme-support.io.",
  ],
  [
    107,
    "billing",
    "failed-payment",
    "Why did my payment fail?",
    "Payments usually fail because the card expired, the bank declined an international charge, or 3-D Secure verification was not completed.",
    "Check the card details, approve the charge in your banking app, then click Retry payment in Settings → Billing. Your workspace stays active during the seven-day retry window.",
  ],
  [
    108,
    "billing",
    "pricing-plans",
    "Plans and what they include",
    "Basic includes 2 agent seats, 1 chat widget and 1,000 contacts. Pro adds unlimited widgets, 10,000 contacts, automation rules and the API. Unlimited removes every limit and adds a dedicated success manager.",
    "Extra agent seats cost $15 per month each on any paid plan.",
  ],
  [
    109,
    "billing",
    "nonprofit-discount",
    "Discounts for nonprofits and education",
    "Registered nonprofits and charities, schools and universities get 50% off any annual plan. Send proof of status from your organisation's email address to billing@acme-support.io.",
  ],
  [
    110,
    "account",
    "reset-password",
    "Reset your password",
    "Click Forgot password on the sign-in page and enter your work email. The reset link arrives within a few minutes and expires after one hour.",
    "No email? Check your spam folder and ask your administrator whether single sign-on is enforced: then you sign in through your company's identity provider instead.",
  ],
  [
    111,
    "account",
    "two-factor-authentication",
    "Turn on two-factor authentication",
    "Go to Profile → Security → Two-factor authentication and scan the QR code with an authenticator app such as Google Authenticator or 1Password. Save the recovery codes somewhere safe.",
    "Lost your phone? Sign in with a recovery code, or ask a workspace admin to reset two-factor authentication for you.",
  ],
  [
    112,
    "account",
    "invite-teammates",
    "Invite teammates and manage agent seats",
    "Admins invite teammates from Settings → Team → Invite. Each invited agent uses one seat once they accept the invitation.",
    "Roles: admins manage billing and settings, supervisors see every chat and report, agents answer the chats assigned to them.",
  ],
  [
    113,
    "account",
    "delete-account",
    "Delete your account and data",
    "The workspace owner can delete the account from Settings → General → Delete workspace. All chats, contacts and files are erased within 30 days and cannot be recovered.",
    "Export what you need first: see Export your data.",
  ],
  [
    114,
    "account",
    "export-data",
    "Export your data (GDPR)",
    "Admins export chats, contacts and ratings as CSV from Settings → Data → Export. Large exports are emailed as a download link that stays valid for seven days.",
    "A contact can ask for a copy of their own data; you can download it from their profile.",
  ],
  [
    115,
    "account",
    "change-email",
    "Change the email address you sign in with",
    "Open Profile → Account, type the new address and confirm it from the email we send there. Until you confirm, you keep signing in with the old address.",
  ],
  [
    116,
    "account",
    "single-sign-on",
    "Single sign-on with SAML or Google Workspace",
    "On the Unlimited plan, admins connect Okta, Azure AD or any SAML 2.0 provider under Settings → Security → Single sign-on, or allow sign-in with Google Workspace.",
    "Once SSO is enforced, passwords are disabled for everyone except the workspace owner.",
  ],
  [
    117,
    "chat",
    "install-widget",
    "Install the chat widget on your website",
    "Copy the snippet from Settings → Widget → Installation and paste it before the closing body tag of every page. On WordPress, install the Acme Chat plugin instead and paste your widget key.",
    "The widget appears within a minute; clear your site's cache if it does not.",
  ],
  [
    118,
    "chat",
    "business-hours",
    "Set office hours and offline messages",
    "Under Settings → Widget → Office hours, set the days and times your team answers. Outside them the widget shows an offline form and collects the customer's email.",
    "Offline messages arrive in the inbox as new chats and are answered by email.",
  ],
  [
    119,
    "chat",
    "chatbot-setup",
    "Set up the chatbot for common questions",
    "Open Automation → Chatbot, pick a template, and connect it to help-center articles so it can answer common questions on its own.",
    "When the bot cannot help, it hands the chat to the next available agent with the conversation so far.",
  ],
  [
    120,
    "chat",
    "auto-assign-chats",
    "Assign chats automatically to agents",
    "Automation → Routing assigns new chats round-robin to online agents of the right department, or to the agent who spoke to the customer last.",
    "Limit how many chats one agent holds at a time with Max concurrent chats.",
  ],
  [
    121,
    "chat",
    "canned-responses",
    "Use saved replies in the inbox",
    "Type / in the reply box to insert a saved reply. Admins manage the team's saved replies in Settings → Saved replies; agents can keep personal ones.",
    "Saved replies can include the customer's first name with {{first_name}}.",
  ],
  [
    122,
    "chat",
    "customize-widget",
    "Change the widget's colours, language and position",
    "Settings → Widget → Appearance sets the colour, the greeting, the position on the page and the language. The widget speaks 40 languages and follows the visitor's browser language by default.",
  ],
  [
    123,
    "chat",
    "chat-ratings",
    "Chat ratings and customer satisfaction (CSAT)",
    "After a chat is closed, the customer can rate it great, average or poor. CSAT is the share of great ratings among all rated chats, in Reports → Ratings.",
  ],
  [
    124,
    "chat",
    "file-attachments",
    "Send and receive files in chat",
    "Customers and agents can attach images, PDFs and documents up to 25 MB per file. Executable files are blocked for safety.",
  ],
  [
    125,
    "chat",
    "mobile-apps",
    "Answer chats from your phone",
    "Download the Acme Support app for iOS or Android and sign in with your work account. Push notifications tell you about new chats even when the app is closed.",
  ],
  [
    126,
    "integrations",
    "slack-integration",
    "Connect Slack",
    "Settings → Integrations → Slack posts new chats to a channel, and agents can reply from a Slack thread. The customer sees the reply in the widget as usual.",
  ],
  [
    127,
    "integrations",
    "shopify-integration",
    "Connect your Shopify store",
    "Install the Acme app from the Shopify App Store. Agents then see the customer's orders, tracking numbers and refunds in the chat sidebar.",
  ],
  [
    128,
    "integrations",
    "api-keys",
    "Create an API key for the REST API",
    "Admins create API keys under Settings → Developers → Public API. Keep the key secret: it can read and change every chat.",
    "The API allows 120 requests per minute per key.",
  ],
  [
    129,
    "integrations",
    "webhooks",
    "Receive events with webhooks",
    "Settings → Developers → Webhooks sends new chats, messages and ratings to your URL as JSON. Verify each delivery with the signing key shown there.",
  ],
  [
    130,
    "integrations",
    "zapier",
    "Automate with Zapier",
    "Search for Acme in Zapier to connect more than 5,000 apps: create a contact from a form, post closed chats to a spreadsheet, and more.",
  ],
  [
    131,
    "troubleshooting",
    "widget-not-showing",
    "The chat widget does not appear on my site",
    "Check that the snippet is on the page and the widget is enabled in Settings → Widget. Ad blockers and strict Content-Security-Policy headers can hide it: allow widget.acme-support.io in your CSP.",
    "The widget is also hidden outside office hours if you chose Hide when offline.",
  ],
  [
    132,
    "troubleshooting",
    "email-notifications",
    "I do not receive email notifications",
    "Check Profile → Notifications, then your spam folder. Ask your IT team to allow mail from notifications@acme-support.io.",
  ],
  [
    133,
    "troubleshooting",
    "slow-dashboard",
    "The dashboard is slow or does not load",
    "Clear your browser cache, turn off extensions, and try a private window. Our status page at status.acme-support.io shows any ongoing incident.",
  ],
  [
    134,
    "troubleshooting",
    "security-notice",
    "Security notice: phishing emails pretending to be Acme",
    "We never ask for your password or card number by email or chat. Report suspicious messages to security@acme-support.io and delete them.",
    "Acme emails only come from the acme-support.io domain.",
  ],
];

const DE: Row[] = [
  [
    201,
    "billing",
    "rueckerstattung",
    "Rückerstattung: So bekommen Sie Ihr Geld zurück",
    "Wir erstatten jede Zahlung der letzten 30 Tage ohne Rückfragen. Wurden Sie doppelt belastet, erstatten wir den zusätzlichen Betrag vollständig.",
    "Schreiben Sie an billing@acme-support.io mit der Rechnungsnummer. Die Gutschrift erscheint nach 5–10 Werktagen auf Ihrer Karte.",
  ],
  [
    202,
    "account",
    "passwort-zuruecksetzen",
    "Passwort zurücksetzen",
    "Klicken Sie auf der Anmeldeseite auf Passwort vergessen und geben Sie Ihre E-Mail-Adresse ein. Der Link ist eine Stunde gültig.",
  ],
  [
    203,
    "chat",
    "widget-installieren",
    "Chat-Widget auf Ihrer Website einbauen",
    "Kopieren Sie den Code unter Einstellungen → Widget → Installation und fügen Sie ihn vor dem schließenden Body-Tag ein.",
  ],
];

const ES: Row[] = [
  [
    301,
    "billing",
    "reembolsos",
    "Política de reembolsos",
    "Reembolsamos cualquier pago de los últimos 30 días sin preguntas. Si le cobramos dos veces, devolvemos el cargo duplicado completo.",
    "Escriba a billing@acme-support.io con el número de factura; el dinero vuelve a su tarjeta en 5 a 10 días hábiles.",
  ],
  [
    302,
    "account",
    "restablecer-contrasena",
    "Restablecer la contraseña",
    "Pulse ¿Olvidó su contraseña? en la página de inicio de sesión e introduzca su correo electrónico. El enlace caduca en una hora.",
  ],
  [
    303,
    "chat",
    "horario-de-atencion",
    "Configurar el horario de atención",
    "En Ajustes → Widget → Horario indique los días y las horas en que su equipo responde. Fuera del horario, el widget muestra un formulario sin conexión.",
  ],
];

function articles(lang: HelpArticle["lang"], rows: Row[]): HelpArticle[] {
  return rows.map(([id, category, slug, title, ...paragraphs]) => ({ id, lang, category, slug, title, paragraphs }));
}

export const ARTICLES: readonly HelpArticle[] = [...articles("en", EN), ...articles("de", DE), ...articles("es", ES)];

/** Listed in the sitemap but disallowed by robots.txt: a polite crawler never fetches it. */
export const INTERNAL_ARTICLE: HelpArticle = {
  id: 900,
  lang: "en",
  category: "account",
  slug: "internal-escalation-playbook",
  title: "Internal escalation playbook",
  paragraphs: ["INTERNAL ONLY: the escalation phone tree for the on-call engineer."],
};

/** The saved replies of the demo (HELPCRUNCH_SAVED_REPLIES), one `## Name` section each. */
export const DEMO_SAVED_REPLIES = `# Acme saved replies

## Refund approved
Hi {{first_name}}, I've refunded the extra charge in full. You'll see it back on your card within 5–10 business days, depending on your bank. Sorry for the trouble!

## Password reset link
Hi {{first_name}}, I've sent a fresh password reset link to your work email. It's valid for one hour; check your spam folder if it doesn't show up within a few minutes.

## Widget missing after install
Thanks for checking! Please make sure the snippet sits before the closing body tag, clear your site's cache, and allow widget.acme-support.io in your Content-Security-Policy.

## Escalated to engineering
I've passed this to our engineering team with everything you've told me. I'll update you here as soon as I hear back, at the latest by tomorrow.
`;
