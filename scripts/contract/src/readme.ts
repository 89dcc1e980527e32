// The README's requests, as values both clients send.

/** transcript is the README's summarize example. */
export const transcript =
  "Agent: Thanks for calling Acme, this is Maria.\nCustomer: I was charged twice for my March bill.\n" +
  "Agent: I see the duplicate charge of $49.99. I will refund it today and you will get an email confirmation.\n" +
  "Customer: Great, thank you.";

/** streamTranscript is the README's streaming example. */
export const streamTranscript = "Agent: Hello, how can I help? Customer: My router keeps rebooting every hour.";
