export const wizardSteps = ['Choose CRM', 'Authorize', 'Test connection', 'Fields & filters', 'Done'] as const;

/** Where the person is in the wizard; the current step is announced as such. */
export function WizardSteps({ current }: { current: number }) {
  return (
    <ol className="pcrm-steps" aria-label="Setup progress">
      {wizardSteps.map((label, index) => (
        <li
          key={label}
          className={index < current ? 'pcrm-steps__item is-done' : index === current ? 'pcrm-steps__item is-current' : 'pcrm-steps__item'}
          aria-current={index === current ? 'step' : undefined}
        >
          <span className="pcrm-steps__number" aria-hidden="true">{index < current ? '✓' : index + 1}</span>
          <span className="pcrm-steps__label">{label}</span>
        </li>
      ))}
    </ol>
  );
}
